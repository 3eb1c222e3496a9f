"""Money for people: integer pence shown as pounds in the reader's language."""

from django.utils.translation import get_language


def pence_display(amount: int, *, language: str | None = None) -> str:
    """12345 -> "£123.45" in English, "123,45 £" in French (narrow spaces group the
    thousands, a no-break space keeps the sign with the number)."""
    sign = "-" if amount < 0 else ""
    pounds, pennies = divmod(abs(amount), 100)
    if (language or get_language() or "en").startswith("fr"):
        grouped = f"{pounds:,}".replace(",", "\u202f")
        return f"{sign}{grouped},{pennies:02d}\u00a0£"
    return f"{sign}£{pounds:,}.{pennies:02d}"
