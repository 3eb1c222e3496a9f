"""The markets as data: a country, its currency, the catalog column that is its price
list, the language whose pages show it by default, and what the shopper is told when
prices change to it. A new market is a row here, a price column on Module and a
currency in offtek.money."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from offtek.money import CURRENCIES, Money


@dataclass(frozen=True)
class Market:
    code: str  # the ISO country code of the delivery country
    name: Promise
    currency: str  # ISO 4217, a key of offtek.money.CURRENCIES
    price_field: str  # the Module column with this market's prices, VAT included
    language: str  # /en/ pages show the UK by default, /fr/ pages France
    repriced_note: Promise  # said when the basket is re-priced in this market

    def price_of(self, module) -> Money:
        """`module`'s price in this market, from its own price list."""
        return Money(getattr(module, self.price_field), self.currency)

    def zero(self) -> Money:
        return Money.zero(self.currency)

    @property
    def symbol(self) -> str:
        return CURRENCIES[self.currency].symbol


MARKETS: dict[str, Market] = {
    market.code: market
    for market in [
        Market(
            code="GB",
            name=_("United Kingdom"),
            currency="GBP",
            price_field="price_pence",
            language="en",
            repriced_note=_("Prices are now shown in pounds for delivery to the United Kingdom."),
        ),
        Market(
            code="FR",
            name=_("France"),
            currency="EUR",
            price_field="price_eur_cents",
            language="fr",
            repriced_note=_("Prices are now shown in euros for delivery to France."),
        ),
    ]
}
DEFAULT_MARKET = "GB"


class UnknownMarket(ValueError):
    """A market code the shop does not sell in."""


def market_get(code: str) -> Market:
    """The market for a code in any letter case; UnknownMarket otherwise."""
    market = MARKETS.get(str(code or "").upper())
    if market is None:
        raise UnknownMarket(code)
    return market


def market_for_country(country: str) -> Market:
    """The market a delivery country belongs to: it decides the order's currency."""
    return market_get(country)


def market_for_language(language: str | None) -> Market:
    """The market a page in `language` shows when the shopper has chosen none."""
    for market in MARKETS.values():
        if language and language.startswith(market.language):
            return market
    return MARKETS[DEFAULT_MARKET]


def market_for_currency(currency: str) -> Market:
    for market in MARKETS.values():
        if market.currency == str(currency or "").upper():
            return market
    raise UnknownMarket(currency)
