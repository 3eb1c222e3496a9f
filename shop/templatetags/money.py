"""Money is kept in integer pence; templates show it as pounds: {{ price|pence }}."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def pence(value):
    """12345 -> "£123.45" in English, "123,45 £" in French; anything else -> ""."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    pounds, pennies = divmod(abs(amount), 100)
    if (get_language() or "en").startswith("fr"):
        grouped = f"{pounds:,}".replace(",", "\u202f")
        return f"{sign}{grouped},{pennies:02d}\u00a0£"
    return f"{sign}£{pounds:,}.{pennies:02d}"
