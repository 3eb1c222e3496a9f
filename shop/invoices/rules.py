"""Who owes the VAT on a parcel, as a rule table.

The shop ships from the United Kingdom. A British parcel carries UK VAT. A parcel to
France carries French VAT, which the seller accounts for in one of two ways, chosen by
the `SHOP_VAT_SCHEME_FR` setting:

- ``eu_establishment``: the seller has an establishment (and a French VAT number) in
  the EU and charges and declares French VAT itself, whatever the parcel's value.
- ``ioss``: the Import One-Stop Shop, for consignments whose goods are worth up to EUR
  150: French VAT is charged at checkout and declared under the seller's IOSS number
  (`SHOP_SELLER["ioss_number"]`); nothing is due when the parcel arrives. Above EUR 150
  IOSS does not apply: the seller imports the parcel itself (delivered duty paid, under
  its French VAT registration), so the French VAT in the price is paid at import by the
  seller and the customer pays nothing more on delivery. The checkout says so.

The first rule that matches the destination, the scheme and the consignment's value
(the goods, delivery excluded, in euro cents) wins."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

IOSS_LIMIT_EUR_CENTS = 15_000


@dataclass(frozen=True)
class VatTreatment:
    vat_country: str  # whose VAT rate applies
    seller_vat_number: str  # the key of SHOP_SELLER["vat_numbers"] shown on the invoice
    mention: object  # printed on the invoice (lazy text)
    checkout_note: object  # said at checkout (lazy text)
    uses_ioss: bool = False


@dataclass(frozen=True)
class VatRule:
    destination: str
    scheme: str  # "*" for any
    up_to_eur_cents: int | None
    treatment: VatTreatment


UK = VatTreatment(
    vat_country="GB",
    seller_vat_number="GB",
    mention="",
    checkout_note=_("UK VAT is included in every price."),
)
FR_ESTABLISHED = VatTreatment(
    vat_country="FR",
    seller_vat_number="FR",
    mention="",
    checkout_note=_("French VAT is included in every price; nothing more is due on delivery."),
)
FR_IOSS = VatTreatment(
    vat_country="FR",
    seller_vat_number="GB",
    mention=_("French VAT declared under the Import One-Stop Shop (IOSS), number %(ioss)s."),
    checkout_note=_(
        "French VAT is included in every price and declared through the Import One-Stop "
        "Shop: nothing more is due on delivery for goods worth up to EUR 150."
    ),
    uses_ioss=True,
)
FR_IMPORTED_BY_SELLER = VatTreatment(
    vat_country="FR",
    seller_vat_number="FR",
    mention=_("Imported by the seller, delivered duty paid: French import VAT paid by the seller."),
    checkout_note=_(
        "Goods worth more than EUR 150 are outside the Import One-Stop Shop: we import "
        "the parcel ourselves and pay the French import VAT and any duty, so nothing "
        "more is due on delivery."
    ),
)

VAT_RULES = [
    VatRule(destination="GB", scheme="*", up_to_eur_cents=None, treatment=UK),
    VatRule(
        destination="FR", scheme="eu_establishment", up_to_eur_cents=None, treatment=FR_ESTABLISHED
    ),
    VatRule(
        destination="FR", scheme="ioss", up_to_eur_cents=IOSS_LIMIT_EUR_CENTS, treatment=FR_IOSS
    ),
    VatRule(destination="FR", scheme="ioss", up_to_eur_cents=None, treatment=FR_IMPORTED_BY_SELLER),
]
VAT_SCHEMES = ("eu_establishment", "ioss")


class NoVatRule(Exception):
    """No rule says who owes the VAT for this destination."""


def scheme_for(destination: str) -> str:
    return settings.SHOP_VAT_SCHEME_FR if destination == "FR" else "*"


def goods_in_eur_cents(*, amount: int, currency: str) -> int:
    """The consignment's value in euro cents for the IOSS limit (prices are
    per market; another currency is converted at `SHOP_EUR_PER_GBP`)."""
    if currency == "EUR":
        return amount
    return int(Decimal(amount) * Decimal(settings.SHOP_EUR_PER_GBP))


def vat_treatment(*, destination: str, goods_amount: int, currency: str) -> VatTreatment:
    scheme = scheme_for(destination)
    value = goods_in_eur_cents(amount=goods_amount, currency=currency)
    for rule in VAT_RULES:
        if rule.destination != destination or rule.scheme not in ("*", scheme):
            continue
        if rule.up_to_eur_cents is None or value <= rule.up_to_eur_cents:
            return rule.treatment
    raise NoVatRule(destination)


def checkout_notes() -> list[tuple[str, object]]:
    """What the checkout says about VAT per destination under the configured scheme:
    every treatment that can apply, in the table's order."""
    notes = []
    for rule in VAT_RULES:
        if rule.scheme in ("*", scheme_for(rule.destination)):
            notes.append((rule.destination, rule.treatment.checkout_note))
    return notes
