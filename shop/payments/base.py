"""The contract every payment gateway fulfils.

A gateway is one class with four operations. It never changes an order's status
itself: it reports what the payment provider says to `shop.payments.services`
(`payment_succeeded`, `payment_failed`, `refund_record`, `payment_disputed`), which
check amounts, lock rows and call the order state machine.

- `payment_start(order, return_url)`: create (or reuse) the provider's payment for the
  order's server-side total; returns a PaymentStart telling the view to redirect the
  customer (`redirect_url`) or to render the provider's card form (`client_secret`).
- `payment_return(payment)`: the customer came back from the provider. Ask the
  provider, server-side, what happened; the browser's word alone changes nothing.
- `webhook_handle(body, signature)`: verify and apply a provider notification, at
  most once per event id; returns the HTTP status to answer.
- `refund_create(payment, amount_pence)`: give money back; returns the provider's
  refund reference. The caller records it.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass

from shop.models import Order, Payment


class GatewayError(Exception):
    """The provider refused or could not be reached; the message is safe to show."""


@dataclass
class PaymentStart:
    payment: Payment
    redirect_url: str = ""
    client_secret: str = ""


@dataclass
class WebhookResult:
    status: int
    message: str = ""


class PaymentGateway(ABC):
    name: str = ""
    is_test: bool = False

    @abstractmethod
    def payment_start(self, *, order: Order, return_url: str) -> PaymentStart: ...

    @abstractmethod
    def payment_return(self, *, payment: Payment) -> Payment: ...

    @abstractmethod
    def webhook_handle(self, *, body: bytes, signature: str) -> WebhookResult: ...

    @abstractmethod
    def refund_create(self, *, payment: Payment, amount_pence: int) -> str: ...
