"""Postal addresses laid out the way each country's post reads them.

The layout is data: one entry per country, each a list of lines, each line the parts
joined by a space. The United Kingdom puts the town and the postcode on lines of
their own; France puts the postcode before the town. The last line is the country's
name in the reader's language, never its code.
"""

from dataclasses import dataclass

from shop.models import Country

LAYOUTS = {
    Country.GB: [("name",), ("line1",), ("line2",), ("city",), ("postcode",), ("country",)],
    Country.FR: [("name",), ("line1",), ("line2",), ("postcode", "city"), ("country",)],
}
DEFAULT_LAYOUT = LAYOUTS[Country.GB]
PARTS = ("name", "line1", "line2", "city", "postcode", "country")


@dataclass(frozen=True)
class PostalAddress:
    name: str
    line1: str
    line2: str
    city: str
    postcode: str
    country: str  # ISO code, "GB" or "FR"

    @classmethod
    def of(cls, source) -> "PostalAddress":
        """From an address book entry or anything with the same names, or from an
        order (whose names start with ``delivery_``)."""
        prefix = "delivery_" if hasattr(source, "delivery_line1") else ""
        return cls(**{part: getattr(source, prefix + part, "") or "" for part in PARTS})


def country_name(code: str) -> str:
    """The country's name in the active language; an unknown code is shown as it is."""
    try:
        return str(Country(code).label)
    except ValueError:
        return code


def address_lines(source) -> list[str]:
    """The lines of ``source``'s address, in the order its country's post reads them."""
    address = PostalAddress.of(source)
    values = {part: getattr(address, part).strip() for part in PARTS}
    values["country"] = country_name(address.country) if address.country else ""
    lines = []
    for line in LAYOUTS.get(address.country, DEFAULT_LAYOUT):
        text = " ".join(values[part] for part in line if values[part])
        if text:
            lines.append(text)
    return lines
