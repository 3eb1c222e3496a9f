"""Money: an amount in integer minor units (pence, cents) together with its currency.

Every amount that leaves a model or a function is a `Money`, never a bare int, so a
price in euro cents can never be added to, compared with or shown as pounds. The
database keeps the minor units in integer columns next to the currency; models turn
them into `Money` (Order.total, OrderLine.unit_price, Payment.amount ...).

Why our own type: py-moneyed and `prices` (checked on PyPI, py-moneyed 3.0 and prices
1.1.1) both hold a Decimal amount and format through Babel; this shop's rule is integer
minor units end to end, and two currencies with two display rules do not need Babel.

It lives here, beside the settings, and not in shop/markets/, because the privacy
app's export page shows amounts too and privacy never imports the shop.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language


@dataclass(frozen=True)
class Currency:
    code: str  # ISO 4217
    symbol: str
    exponent: int  # digits after the decimal separator: 100 minor units to the unit


# The currencies the shop trades in, as data. A new one is a row here (and a market).
CURRENCIES: dict[str, Currency] = {
    currency.code: currency
    for currency in [
        Currency(code="GBP", symbol="£", exponent=2),
        Currency(code="EUR", symbol="€", exponent=2),
    ]
}
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were added, subtracted or compared."""


class UnknownCurrency(ValueError):
    """A currency code the shop does not trade in."""


def currency_get(code: str) -> Currency:
    """The currency for an ISO code in any letter case; UnknownCurrency otherwise."""
    currency = CURRENCIES.get(str(code or "").upper())
    if currency is None:
        raise UnknownCurrency(code)
    return currency


@dataclass(frozen=True)
class Money:
    """`minor` units (pence, cents) of `currency`. Immutable; arithmetic only between
    amounts of the same currency (anything else raises CurrencyMismatch)."""

    minor: int
    currency: str

    def __post_init__(self):
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise TypeError(f"Money needs integer minor units, not {self.minor!r}")
        object.__setattr__(self, "currency", currency_get(self.currency).code)

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(0, currency)

    @classmethod
    def from_units(cls, units: int, currency: str) -> "Money":
        """Whole pounds or euros: from_units(45, "EUR") is 45,00 €."""
        return cls(units * 10 ** currency_get(currency).exponent, currency)

    def _same(self, other) -> "Money":
        if not isinstance(other, Money):
            raise TypeError(f"Money cannot be combined with {other!r}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency}")
        return other

    def __add__(self, other):
        return Money(self.minor + self._same(other).minor, self.currency)

    def __sub__(self, other):
        return Money(self.minor - self._same(other).minor, self.currency)

    def __mul__(self, times: int):
        if isinstance(times, bool) or not isinstance(times, int):
            return NotImplemented
        return Money(self.minor * times, self.currency)

    __rmul__ = __mul__

    def __neg__(self):
        return Money(-self.minor, self.currency)

    def __lt__(self, other):
        return self.minor < self._same(other).minor

    def __le__(self, other):
        return self.minor <= self._same(other).minor

    def __gt__(self, other):
        return self.minor > self._same(other).minor

    def __ge__(self, other):
        return self.minor >= self._same(other).minor

    def __bool__(self):
        return self.minor != 0

    def display(self, *, language: str | None = None) -> str:
        """ "£1,234.50" / "€1,234.50" in English, "1 234,50 £" / "1 234,50 €" in French
        (a narrow space groups the thousands, a no-break space keeps the symbol with
        the number)."""
        exponent = CURRENCIES[self.currency].exponent
        units = Decimal(self.minor).scaleb(-exponent)
        return amount_display(units, self.currency, places=exponent, language=language)

    def __str__(self):
        return self.display()


def amount_display(
    units: Decimal, currency: str, *, places: int, language: str | None = None
) -> str:
    """An amount in whole units with ``places`` decimals, written as ``Money.display``
    writes it: for what is not a whole number of minor units (an invoice line's unit
    price without VAT, to four decimals)."""
    symbol = currency_get(currency).symbol
    sign = "-" if units < 0 else ""
    text = f"{abs(units):,.{places}f}"
    if (language or get_language() or "en").startswith("fr"):
        text = text.replace(",", "\u202f").replace(".", ",")
        return f"{sign}{text}\u00a0{symbol}"
    return f"{sign}{symbol}{text}"
