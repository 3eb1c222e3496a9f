"""The contract every payment gateway fulfils, and the plain results it returns.

Payments flow one way. A gateway talks to its provider and turns what the provider
said into a `GatewayResult` (or a `RefundResult`), a frozen dataclass of plain values;
it never writes a payment, a refund or an order and never imports
`shop.payments.services`. The services apply a result under the payment's row lock,
through the one transition function that writes `Payment.status`.

- `payment_start(order, payment, return_url)`: create (or reuse) the provider's
  payment for `payment` (a row the services made, carrying the server's amount);
  returns a `PaymentStart` telling the view to redirect the customer (`redirect_url`)
  or to render the provider's card form (`client_secret`).
- `payment_check(payment)`: ask the provider, server-side, where the payment stands
  (the customer came back from the card form; the browser's word alone changes
  nothing).
- `webhook_read(body, signature)`: verify a provider notification and say what it
  reports (`WebhookNews`); raises `WebhookRejected` for anything not genuine.
- `refund_create(payment, amount_pence, attempt)`: ask the provider to give money
  back; returns what it answered (a refund may be pending, and may fail later).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum

from shop.models import Order, Payment
from shop.models.payments import CARD_FIELDS


class GatewayError(Exception):
    """The provider refused or could not be reached; the message is safe to show."""


class WebhookRejected(Exception):
    """A notification that is not genuine (bad signature, stale, malformed)."""


class Happened(StrEnum):
    """What the provider says happened to a payment."""

    SUCCEEDED = "succeeded"  # the money was taken
    PROCESSING = "processing"  # accepted, the outcome comes later
    REQUIRES_ACTION = "requires_action"  # the customer must authenticate (3-D Secure)
    FAILED = "failed"  # declined, authentication failed, or cancelled
    WAITING = "waiting"  # nothing tried yet (no card given): nothing to do
    DISPUTED = "disputed"  # a chargeback was opened
    REFUNDS = "refunds"  # news about refunds only (see `refunds`)
    IGNORED = "ignored"  # news we do not act on


@dataclass(frozen=True)
class RefundResult:
    """One refund as the provider reports it."""

    reference: str
    amount_pence: int
    currency: str
    status: str  # a RefundStatus value: pending, succeeded or failed
    failure_reason: str = ""


@dataclass(frozen=True)
class Disclosed:
    """What the provider received about the customer, and why, in the disclosure
    ledger's words (privacy.disclosures): read off the request the gateway made, or,
    for what the provider's own script sends it from the browser, the gateway's
    account of that script. The payment services record it; a gateway writes
    nothing."""

    purpose: str  # a key of privacy.policy.PURPOSES
    categories: tuple  # keys of privacy.policy.CATEGORIES
    fields: tuple


@dataclass(frozen=True)
class GatewayResult:
    """What the provider said about one payment, in plain values."""

    happened: Happened
    reference: str = ""  # the provider's payment reference (e.g. a PaymentIntent id)
    amount_pence: int = 0
    currency: str = ""
    # The card and the payment's risk, keyed by shop.models.payments.CARD_FIELDS.
    card: dict[str, str] = field(default_factory=dict)
    failure_message: str = ""
    dispute_reason: str = ""
    scenario: str = ""  # the simulator's test scenario; empty for real providers
    refunds: tuple[RefundResult, ...] = ()
    # What the provider received to reach this result (the card data a customer gave
    # it); empty when nothing about the customer went to a third party.
    disclosed: tuple[Disclosed, ...] = ()

    def card_details(self) -> dict[str, str]:
        """The card fields the provider reported (empty and unknown ones left out)."""
        return {name: str(self.card[name]) for name in CARD_FIELDS if self.card.get(name)}


@dataclass(frozen=True)
class WebhookNews:
    """A verified provider notification: its id (for at-most-once processing), its
    type, and what it reports (None when it is about nothing we keep)."""

    event_id: str
    kind: str
    result: GatewayResult


@dataclass
class PaymentStart:
    payment: Payment
    reference: str = ""
    redirect_url: str = ""
    client_secret: str = ""
    # What this call made the provider receive: empty when nothing went out (a
    # resumed payment, the simulator).
    disclosed: tuple[Disclosed, ...] = ()


class PaymentGateway(ABC):
    name: str = ""
    is_test: bool = False

    @abstractmethod
    def payment_start(self, *, order: Order, payment: Payment, return_url: str) -> PaymentStart: ...

    @abstractmethod
    def payment_check(self, *, payment: Payment) -> GatewayResult: ...

    @abstractmethod
    def webhook_read(self, *, body: bytes, signature: str) -> WebhookNews: ...

    @abstractmethod
    def refund_create(
        self, *, payment: Payment, amount_pence: int, attempt: int
    ) -> RefundResult: ...
