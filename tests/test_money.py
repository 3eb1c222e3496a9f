"""Money: integer minor units with their currency, shown per language, never mixed."""

from decimal import Decimal

import pytest

from offtek.money import CurrencyMismatch, Money, UnknownCurrency


def test_amounts_of_one_currency_add_up_and_compare():
    price = Money(4599, "GBP")
    assert price * 2 + Money(399, "gbp") == Money(9597, "GBP")
    assert 3 * price - price == Money(9198, "GBP")
    assert Money(1, "EUR") < Money(2, "EUR") and Money(2, "EUR") >= Money(2, "EUR")
    assert not Money.zero("EUR") and Money(1, "EUR")
    assert Money.from_units(50, "EUR") == Money(5000, "EUR")


def test_pounds_and_euros_never_mix():
    pounds, euros = Money(100, "GBP"), Money(100, "EUR")
    assert pounds != euros
    for mix in (lambda: pounds + euros, lambda: pounds - euros, lambda: pounds < euros):
        with pytest.raises(CurrencyMismatch):
            mix()
    with pytest.raises(TypeError):
        pounds + 100  # noqa: B018 - a bare number is not money


@pytest.mark.parametrize("minor", [45.99, Decimal("4599"), True, "4599", None])
def test_only_integer_minor_units_are_money(minor):
    with pytest.raises(TypeError):
        Money(minor, "GBP")


@pytest.mark.parametrize("currency", ["USD", "", "£", None])
def test_only_the_shops_currencies_are_money(currency):
    with pytest.raises(UnknownCurrency):
        Money(100, currency)


@pytest.mark.parametrize(
    ("money", "english", "french"),
    [
        (Money(4599, "GBP"), "£45.99", "45,99\u00a0£"),
        (Money(4599, "EUR"), "€45.99", "45,99\u00a0€"),
        (Money(123456789, "EUR"), "€1,234,567.89", "1\u202f234\u202f567,89\u00a0€"),
        (Money(-5, "GBP"), "-£0.05", "-0,05\u00a0£"),
        (Money(0, "EUR"), "€0.00", "0,00\u00a0€"),
    ],
)
def test_money_is_written_as_each_language_writes_it(money, english, french):
    assert money.display(language="en") == english
    assert money.display(language="fr") == french
