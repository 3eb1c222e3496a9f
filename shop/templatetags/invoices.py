"""Amounts on invoices and credit notes: minor units in the document's currency, in
the reader's language ({{ amount|minor:document.currency }}), VAT rates from basis
points ({{ line.rate_bp|rate }})."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from offtek.money import Money, amount_display
from shop.addresses.layout import country_name
from shop.invoices.rules import checkout_notes

register = template.Library()


@register.filter
def minor(value, currency) -> str:
    """12345, "EUR" -> "€123.45" in English, "123,45 €" in French."""
    return Money(int(value), currency).display()


@register.filter
def rate(rate_bp) -> str:
    """2000 -> "20 %" ("5.5 %" for 550; a comma in French)."""
    text = f"{Decimal(int(rate_bp)) / 100:.2f}".rstrip("0").rstrip(".")
    if (get_language() or "en").startswith("fr"):
        text = text.replace(".", ",")
    return f"{text}\u00a0%"


@register.simple_tag
def unit_net(line, currency) -> str:
    """A line's unit price without VAT: to the cent when it is whole cents, else to
    four decimals (as in the document's XML)."""
    value = Decimal(line.net) / 100 / line.quantity
    places = 2 if value == value.quantize(Decimal("0.01")) else 4
    return amount_display(value.quantize(Decimal(10) ** -places), currency, places=places)


@register.inclusion_tag("shop/includes/vat_notes.html")
def vat_notes():
    """What the checkout says about VAT for each destination (shop.invoices.rules)."""
    return {"notes": [(country_name(code), note) for code, note in checkout_notes()]}
