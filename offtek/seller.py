"""The seller's facts, as data: who publishes the shop and sells (the legal notice, the
terms of sale, invoices), who hosts it, and the consumer mediator a French customer can
turn to. Each fact comes from one environment variable; settings.SHOP_SELLER is the
dict built here. A production shop refuses to start when a required one is missing
(offtek/fail_closed.py); development and a declared test shop (OFFTEK_TEST_SHOP=true)
fill the gaps with values that say they are fictional.

Addresses are given on one line with ";" between the lines of the address."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SellerFact:
    key: str  # the key in settings.SHOP_SELLER
    variable: str  # the environment variable it is read from
    demo: str  # the fictional value of a development or test shop
    required: bool = True
    lines: bool = False  # an address: a tuple of lines, ";" between them in the variable


SELLER_FACTS = (
    SellerFact("name", "OFFTEK_SELLER_NAME", "Offtek Demo Ltd (fictional)"),
    SellerFact("legal_form", "OFFTEK_SELLER_LEGAL_FORM", "Private limited company (fictional)"),
    SellerFact("share_capital", "OFFTEK_SELLER_SHARE_CAPITAL", "£1,000 (fictional)"),
    SellerFact(
        "registration_number",
        "OFFTEK_SELLER_REGISTRATION_NUMBER",
        "Companies House 00000000 (fictional)",
    ),
    SellerFact("vat_number", "OFFTEK_SELLER_VAT_NUMBER", "GB000000000"),
    SellerFact("vat_number_fr", "OFFTEK_SELLER_VAT_NUMBER_FR", "FR00000000000", required=False),
    # The Import One-Stop Shop number French invoices name under the IOSS scheme.
    SellerFact("ioss_number", "OFFTEK_SELLER_IOSS_NUMBER", "IM0000000000", required=False),
    SellerFact(
        "address_lines",
        "OFFTEK_SELLER_ADDRESS",
        "1 Example Street (fictional);Unit 0",
        lines=True,
    ),
    SellerFact("postcode", "OFFTEK_SELLER_POSTCODE", "ZZ99 9ZZ"),
    SellerFact("city", "OFFTEK_SELLER_CITY", "Nowhere-on-Sea"),
    SellerFact("country", "OFFTEK_SELLER_COUNTRY", "GB"),
    SellerFact("email", "OFFTEK_SELLER_EMAIL", "shop@offtek.example"),
    # Where people write to the Privacy Officer; the seller's e-mail when unset.
    SellerFact(
        "privacy_email",
        "OFFTEK_SELLER_PRIVACY_EMAIL",
        "privacy@offtek.example",
        required=False,
    ),
    SellerFact("phone", "OFFTEK_SELLER_PHONE", "+44 20 7946 0000"),
    SellerFact("director", "OFFTEK_SELLER_DIRECTOR", "A. N. Example (fictional)"),
    SellerFact("host_name", "OFFTEK_HOST_NAME", "Example Hosting Ltd (fictional)"),
    SellerFact(
        "host_address",
        "OFFTEK_HOST_ADDRESS",
        "2 Sample Road (fictional);London ZZ99 9ZY;United Kingdom",
        lines=True,
    ),
    SellerFact("host_phone", "OFFTEK_HOST_PHONE", "+44 20 7946 0001"),
    SellerFact("mediator_name", "OFFTEK_MEDIATOR_NAME", "Médiateur Démo (fictional)"),
    SellerFact("mediator_url", "OFFTEK_MEDIATOR_URL", "https://mediator.example"),
    SellerFact(
        "mediator_address",
        "OFFTEK_MEDIATOR_ADDRESS",
        "3 rue de l'Exemple (fictional);00000 Nulle-Part;France",
        lines=True,
    ),
)
SELLER_VARIABLES = tuple(fact.variable for fact in SELLER_FACTS)


def seller_missing(values: dict) -> str | None:
    """The first required variable with no value in ``values``, or None."""
    return next(
        (f.variable for f in SELLER_FACTS if f.required and not values.get(f.variable, "").strip()),
        None,
    )


def seller_build(values: dict, *, fictional: bool) -> dict:
    """settings.SHOP_SELLER from the variables' values; with ``fictional``, a missing
    fact takes its demo value (production never builds it so: see fail_closed)."""
    seller = {}
    for fact in SELLER_FACTS:
        value = values.get(fact.variable, "").strip() or (fact.demo if fictional else "")
        if fact.lines:
            seller[fact.key] = tuple(line.strip() for line in value.split(";") if line.strip())
        else:
            seller[fact.key] = value
    return seller
