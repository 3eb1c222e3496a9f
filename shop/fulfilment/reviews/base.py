"""The contract every review provider backend fulfils.

One operation, `invite(name=, email=, order_number=, language=)`: ask the provider to
invite this customer to review this order; return the provider's reference or raise
`ReviewProviderError`. Exactly these three pieces of personal data leave the shop:
`shop.fulfilment.reviews.services` builds the payload, refuses it before it is sent
if it holds more than the policy lets the review service receive
(`privacy.policy.PROCESSORS["reviews"].may_receive`), and writes the invitation to the
disclosure ledger from the same payload; a backend never does.

Backends, by the name `settings.REVIEW_PROVIDER_BACKEND` gives:
- `console`: prints the invitation (development);
- `memory`: keeps invitations in `MemoryReviewProvider.sent` (tests);
- `http`: a JSON-over-HTTPS review service with a bearer token (production);
- `off`: no invitations at all (nothing is sent, nothing recorded).
"""

from abc import ABC, abstractmethod

DISCLOSED_CATEGORIES = ("contact", "identity", "transaction")


class ReviewProviderError(Exception):
    pass


class ReviewProvider(ABC):
    name: str = ""

    @abstractmethod
    def invite(self, *, name: str, email: str, order_number: str, language: str) -> str: ...
