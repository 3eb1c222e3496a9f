"""The contract every review provider backend fulfils.

One operation, `invite(name=, email=, order_number=, language=)`: ask the provider to
invite this customer to review this order; return the provider's reference or raise
`ReviewProviderError`. Exactly these three pieces of personal data leave the shop
(`DISCLOSED_FIELDS`), and each invitation is written to the disclosure ledger by
`shop.fulfilment.reviews.services`, never by a backend.

Backends, by the name `settings.REVIEW_PROVIDER_BACKEND` gives:
- `console`: prints the invitation (development);
- `memory`: keeps invitations in `MemoryReviewProvider.sent` (tests).
"""

from abc import ABC, abstractmethod

DISCLOSED_FIELDS = ("name", "email", "order number")
DISCLOSED_CATEGORIES = ("contact", "identity", "transaction")


class ReviewProviderError(Exception):
    pass


class ReviewProvider(ABC):
    name: str = ""

    @abstractmethod
    def invite(self, *, name: str, email: str, order_number: str, language: str) -> str: ...
