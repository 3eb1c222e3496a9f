from dataclasses import dataclass

from shop.fulfilment.reviews.base import ReviewProvider


@dataclass
class SentInvitation:
    name: str
    email: str
    order_number: str
    language: str


class MemoryReviewProvider(ReviewProvider):
    """Tests: keeps invitations in `sent`."""

    name = "memory"
    sent: list[SentInvitation] = []

    @classmethod
    def reset(cls) -> None:
        cls.sent = []

    def invite(self, *, name: str, email: str, order_number: str, language: str) -> str:
        MemoryReviewProvider.sent.append(SentInvitation(name, email, order_number, language))
        return f"mem-{len(MemoryReviewProvider.sent)}"
