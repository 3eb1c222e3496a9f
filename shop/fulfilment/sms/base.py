"""The contract every text-message backend fulfils.

A backend is one class with one operation, `send(to=, body=)`: hand one message to the
provider and return the provider's reference for it, or raise `SmsError` (the
provider refused or could not be reached). A backend never retries and never touches
the database: `shop.fulfilment.sms.services` records attempts and schedules the next try.

Backends, by the name `settings.SMS_BACKEND` gives:
- `console`: prints the message (development);
- `memory`: keeps messages in `MemorySmsBackend.outbox` (tests);
- `http`: a JSON-over-HTTPS provider with a bearer token (production);
- `off`: no backend: `sms_queue` writes nothing, so no number waits in the outbox.
"""

from abc import ABC, abstractmethod


class SmsError(Exception):
    """The message was not accepted; the text says why (never the message body).
    `transient`: worth trying again later (unreachable, slow, busy); False when the
    provider refused this message for good."""

    def __init__(self, message: str, *, transient: bool = True):
        super().__init__(message)
        self.transient = transient


class SmsBackend(ABC):
    name: str = ""

    @abstractmethod
    def send(self, *, to: str, body: str, key: str = "") -> str:
        """`key`: the message's own key, the same on every attempt, for a provider
        that recognises a message it has already taken."""
