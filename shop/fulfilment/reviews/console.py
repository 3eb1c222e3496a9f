import secrets
import sys

from shop.fulfilment.reviews.base import ReviewProvider


class ConsoleReviewProvider(ReviewProvider):
    """Development: writes each invitation to standard output."""

    name = "console"

    def invite(self, *, name: str, email: str, order_number: str, language: str) -> str:
        reference = f"console-{secrets.token_hex(4)}"
        sys.stdout.write(f"Review invitation {reference}: {name} <{email}>, {order_number}\n")
        return reference
