"""Prices in templates. Amounts are `offtek.money.Money` and show themselves in the
reader's language ({{ order.total }} -> "£45.99" or "45,99 €"); a module's price
depends on the market: {{ module|price_in:market }}."""

from django import template

register = template.Library()


@register.filter
def price_in(module, market):
    """The module's price in `market`'s own price list, as Money."""
    return market.price_of(module)
