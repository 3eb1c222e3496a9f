"""Delivery options and their prices, as data. Prices in pence, VAT included,
per destination country; `free_from_pence` makes the option free above a subtotal."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DeliveryOption:
    code: str
    label: str
    price_pence: dict[str, int]  # country code -> price
    free_from_pence: int | None = None


DELIVERY_OPTIONS: dict[str, DeliveryOption] = {
    option.code: option
    for option in [
        DeliveryOption(
            code="standard",
            label=_("Standard (2-4 working days)"),
            price_pence={"GB": 399, "FR": 999},
            free_from_pence=5000,
        ),
        DeliveryOption(
            code="express",
            label=_("Express (next working day)"),
            price_pence={"GB": 999, "FR": 1999},
        ),
    ]
}


class DeliveryUnavailable(Exception):
    pass


def delivery_price(*, code: str, country: str, subtotal_pence: int) -> int:
    option = DELIVERY_OPTIONS.get(code)
    if option is None or country not in option.price_pence:
        raise DeliveryUnavailable(code)
    if option.free_from_pence is not None and subtotal_pence >= option.free_from_pence:
        return 0
    return option.price_pence[country]


def delivery_option_name(code: str) -> str:
    """The option's name in the reader's language; an unknown code as it is."""
    option = DELIVERY_OPTIONS.get(code)
    return str(option.label) if option else code
