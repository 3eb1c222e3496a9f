"""Delivery options and their prices, as data. Each market (shop/markets/rules.py) has
its own price for an option, in minor units of the market's currency, VAT included:
the UK in pence, France in euro cents. `free_from` makes the option free from that
subtotal of items (in the same market's currency). The delivery country is the
market, so an option is priced by the country it goes to."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from offtek.money import Money
from shop.markets.rules import Market


@dataclass(frozen=True)
class DeliveryOption:
    code: str
    label: Promise
    prices: dict[str, int]  # market code -> minor units of the market's currency
    free_from: dict[str, int]  # market code -> items subtotal from which it is free


DELIVERY_OPTIONS: dict[str, DeliveryOption] = {
    option.code: option
    for option in [
        DeliveryOption(
            code="standard",
            label=_("Standard (2-4 working days)"),
            prices={"GB": 399, "FR": 999},
            free_from={"GB": 5000, "FR": 5000},
        ),
        DeliveryOption(
            code="express",
            label=_("Express (next working day)"),
            prices={"GB": 999, "FR": 1999},
            free_from={},
        ),
    ]
}


class DeliveryUnavailable(Exception):
    pass


@dataclass(frozen=True)
class DeliveryOffer:
    """An option as a shopper of one market sees it."""

    code: str
    label: Promise
    price: Money
    free_from: Money | None


def delivery_offers(market: Market) -> list[DeliveryOffer]:
    """The options delivered in `market`, with its prices."""
    return [
        DeliveryOffer(
            code=option.code,
            label=option.label,
            price=Money(option.prices[market.code], market.currency),
            free_from=(
                Money(option.free_from[market.code], market.currency)
                if market.code in option.free_from
                else None
            ),
        )
        for option in DELIVERY_OPTIONS.values()
        if market.code in option.prices
    ]


def delivery_price(*, code: str, market: Market, subtotal: Money) -> Money:
    """What delivery by option `code` costs in `market` for items worth `subtotal`
    (in the market's currency). DeliveryUnavailable for an option the market lacks."""
    offer = next((offer for offer in delivery_offers(market) if offer.code == code), None)
    if offer is None:
        raise DeliveryUnavailable(code)
    if offer.free_from is not None and subtotal >= offer.free_from:
        return market.zero()
    return offer.price


def delivery_option_name(code: str) -> str:
    """The option's name in the reader's language; an unknown code as it is."""
    option = DELIVERY_OPTIONS.get(code)
    return str(option.label) if option else code
