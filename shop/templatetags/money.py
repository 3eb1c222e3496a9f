"""Money is kept in integer pence; templates show it as pounds: {{ price|pence }}."""

from django import template

from offtek.money import pence_display

register = template.Library()


@register.filter
def pence(value):
    """12345 -> "£123.45" in English, "123,45 £" in French; anything else -> ""."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return pence_display(amount)
