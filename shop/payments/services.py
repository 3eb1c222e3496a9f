"""What gateways report, applied to payments and orders.

A gateway returns a plain `GatewayResult`; `payment_apply` applies it under the
payment's row lock. `payment_transition` is the only code that writes
`Payment.status`. An order becomes paid only here, from a payment the provider
confirmed server-side (a verified webhook or a retrieve) as `succeeded`, for the
server's amount (items + delivery) in the order's currency. Concurrent deliveries of
the same news serialise on the lock and the second one finds nothing left to do."""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from privacy.disclosures import disclosure_record_once
from privacy.lifecycle import IllegalTransition, Lifecycle, lifecycle_move, row_lock
from shop.customer_pages.changes import customer_pages_changed
from shop.fraud.services import fraud_verdict
from shop.invoices.tasks import invoice_issue_after_commit
from shop.models import Order, OrderEvent, OrderStatus, Payment, PaymentEvent, PaymentStatus
from shop.orders.emails import order_paid_email_send, order_refunded_out_of_stock_email_send
from shop.orders.services import IllegalTransition as IllegalOrderTransition
from shop.orders.services import StockUnavailable, order_stock_reserve_again, order_transition
from shop.payments.base import (
    GatewayError,
    GatewayResult,
    Happened,
    PaymentStart,
    WebhookNews,
    WebhookRejected,
)
from shop.payments.refunds import refund_quietly, refunds_apply
from shop.payments.registry import gateway_get

logger = logging.getLogger(__name__)
S = OrderStatus
P = PaymentStatus

# The payment's moves, as data. A failed payment can still succeed late (the customer
# retried at the provider after we gave up); a succeeded one never moves again.
PAYMENT_LIFECYCLE = Lifecycle(
    moves={
        P.CREATED: frozenset({P.REQUIRES_ACTION, P.PROCESSING, P.SUCCEEDED, P.FAILED}),
        P.REQUIRES_ACTION: frozenset({P.PROCESSING, P.SUCCEEDED, P.FAILED}),
        P.PROCESSING: frozenset({P.SUCCEEDED, P.FAILED}),
        P.FAILED: frozenset({P.SUCCEEDED}),
        P.SUCCEEDED: frozenset(),
    }
)
OPEN_STATUSES = [P.CREATED, P.REQUIRES_ACTION]


def payment_transition(
    *, payment: Payment, to: str, reason: str = "", fields: dict | None = None
) -> bool:
    """Move the payment to `to` (saving `fields` in the same write). The only writer
    of Payment.status. Returns False when already there; raises IllegalTransition
    (privacy.lifecycle) for a move the table forbids."""
    return lifecycle_move(
        lifecycle=PAYMENT_LIFECYCLE, row=payment, to=to, reason=reason, extra_fields=fields
    )


@transaction.atomic
def payment_create(*, order: Order, gateway: str, reference: str = "") -> Payment:
    return Payment.objects.create(
        order=order,
        gateway=gateway,
        reference=reference,
        amount_pence=order.total_pence,
        currency=order.currency,
    )


def payment_start(*, order: Order, return_url: str) -> PaymentStart:
    """Start (or resume) paying for an order with the active gateway."""
    if order.status != S.PENDING_PAYMENT:
        raise GatewayError(_("This order is not awaiting payment."))
    gateway = gateway_get()
    payment = order.payments.filter(
        gateway=gateway.name, status__in=OPEN_STATUSES
    ).first() or payment_create(order=order, gateway=gateway.name)
    start = gateway.payment_start(order=order, payment=payment, return_url=return_url)
    if start.reference and start.reference != payment.reference:
        Payment.objects.filter(pk=payment.pk).update(reference=start.reference)
        customer_pages_changed([order.user_id])  # an update sends no signal
        payment.reference = start.reference
    # The provider accepted the request: record what the gateway says it received.
    payment_disclosures_record(payment=payment, disclosed=start.disclosed)
    return start


def payment_disclosures_record(*, payment: Payment, disclosed) -> None:
    """Write to the disclosure ledger what the payment's provider received about the
    customer (`Disclosed` items of a gateway's answer), once per payment: the same
    news told again (a webhook after the return page) adds nothing."""
    order = payment.order
    if not order.user_id:
        return
    for item in disclosed:
        disclosure_record_once(
            since=payment.created_at,
            user=order.user,
            processor="payment",
            purpose=item.purpose,
            categories=item.categories,
            fields=item.fields,
            reference=order.number,
        )


# What the return page may still learn: a payment not yet settled, for an order
# awaiting payment (or cancelled, which a late success can still pay). Anything else
# (paid, held for review, dispatched...) is left alone, however often it is reloaded.
RETURN_PAYMENT_STATUSES = frozenset({P.CREATED, P.REQUIRES_ACTION, P.PROCESSING, P.FAILED})
RETURN_ORDER_STATUSES = frozenset({S.PENDING_PAYMENT, S.CANCELLED})


def payment_return(*, payment: Payment) -> str:
    """The customer came back from the card form: ask the provider, apply the answer.
    A no-op once the payment is settled or the order has moved on."""
    payment.refresh_from_db()
    if (
        payment.status not in RETURN_PAYMENT_STATUSES
        or payment.order.status not in RETURN_ORDER_STATUSES
    ):
        return "nothing to check"
    try:
        result = gateway_get(payment.gateway).payment_check(payment=payment)
    except GatewayError:
        return "provider unreachable"  # the webhook will tell us
    return payment_apply(payment=payment, result=result)


def _card_fields(result: GatewayResult) -> dict:
    """The card fields to store: a value longer than its column is cut, never refused
    (the provider's values are short); of a card number, only the last four."""
    fields = {}
    for name, value in result.card_details().items():
        length = Payment._meta.get_field(name).max_length
        fields[name] = value[-length:] if name == "card_last4" else value[:length]
    if result.scenario:
        fields["scenario"] = result.scenario[:32]
    return fields


def _move(payment: Payment, to: str, result: GatewayResult, **fields) -> bool:
    try:
        return payment_transition(
            payment=payment,
            to=to,
            reason=f"{result.happened} {result.reference}",
            fields={**_card_fields(result), **fields},
        )
    except IllegalTransition:
        return False  # late or out-of-order news: the payment is already beyond it


@transaction.atomic
def payment_apply(*, payment: Payment, result: GatewayResult) -> str:
    """Apply what the provider said about `payment`; returns a short outcome."""
    payment_disclosures_record(payment=payment, disclosed=result.disclosed)
    happened = result.happened
    if happened == Happened.SUCCEEDED:
        return "paid" if _succeeded(payment, result) else "succeeded, no change"
    if happened == Happened.FAILED:
        return "failed" if _failed(payment, result) else "failed, no change"
    if happened in (Happened.PROCESSING, Happened.REQUIRES_ACTION):
        locked = row_lock(payment)
        changed = _move(locked, P(happened.value), result)
        payment.refresh_from_db()
        return str(happened) if changed else f"{happened}, no change"
    if happened == Happened.DISPUTED:
        return "held for review" if _disputed(payment, result) else "dispute recorded"
    if happened == Happened.REFUNDS:
        return refunds_apply(payment=payment, refunds=result.refunds)
    return f"no change ({happened})"


def _succeeded(payment: Payment, result: GatewayResult) -> bool:
    """The money was taken. True when this made the order paid (and only then is the
    confirmation e-mail queued, in this transaction, sent after it commits). The
    fraud rules judge the paid order at once and an order that trips one is held for
    review."""
    locked = row_lock(payment)
    order = row_lock(locked.order)
    expected = order.subtotal_pence + order.delivery_pence
    if result.amount_pence != expected or result.currency.upper() != order.currency:
        OrderEvent.objects.create(
            order=order,
            kind="payment_mismatch",
            reason=f"{locked.reference}: {result.amount_pence} {result.currency} for {expected}",
        )
        logger.warning("Payment %s amount/currency mismatch on %s", locked.pk, order.number)
        return False
    _move(locked, P.SUCCEEDED, result)
    payment.refresh_from_db()
    locked.refresh_from_db()
    other_success = order.payments.filter(status=P.SUCCEEDED).exclude(pk=locked.pk).exists()
    already_given_back = locked.refunds.exists()
    if other_success:
        # The order was already paid by another payment: give this one back (once).
        if not already_given_back:
            refund_quietly(payment=locked, reason="duplicate payment for a paid order")
        return False
    if order.status == S.CANCELLED:
        if already_given_back:
            return False  # this news was handled before: the money went back
        try:
            order_stock_reserve_again(order=order)
        except StockUnavailable:
            refund_quietly(payment=locked, reason="stock gone before the payment completed")
            order_refunded_out_of_stock_email_send(order=order)
            return False
    try:
        changed = order_transition(order=order, to=S.PAID, reason=f"payment {locked.reference}")
    except IllegalOrderTransition:
        return False  # already beyond paid (dispatched, refunded...): nothing to do
    if changed:
        _fraud_hold(order, locked)
        order_paid_email_send(order=order)
        invoice_issue_after_commit(order=order)
    return changed


def _fraud_hold(order: Order, payment: Payment) -> None:
    """Ask the fraud rules for a verdict on the newly paid order; hold it for staff
    review, recording which rules tripped, when it says so."""
    verdict = fraud_verdict(order=order, payment=payment)
    if verdict.hold:
        reason = "fraud rules: " + ", ".join(verdict.tripped)
        OrderEvent.objects.create(order=order, kind="fraud_hold", reason=reason[:200])
        order_transition(order=order, to=S.HELD_FOR_REVIEW, reason=reason)


def _failed(payment: Payment, result: GatewayResult) -> bool:
    """The payment failed. A late failure never undoes a success. The order, if still
    awaiting payment, is cancelled and its stock released."""
    locked = row_lock(payment)
    message = result.failure_message or str(_("Your card was declined."))
    if not _move(locked, P.FAILED, result, failure_message=message[:200]):
        payment.refresh_from_db()
        return False
    payment.refresh_from_db()
    order = locked.order
    if order.status != S.PENDING_PAYMENT:
        return False
    return order_transition(order=order, to=S.CANCELLED, reason=f"payment failed: {message}")


def _disputed(payment: Payment, result: GatewayResult) -> bool:
    """A chargeback was opened: hold a paid order for staff review."""
    order = row_lock(payment.order)
    reason = f"dispute {result.dispute_reason}".strip()
    OrderEvent.objects.create(order=order, kind="dispute", reason=reason[:200])
    if order.status != S.PAID:
        return False
    return order_transition(order=order, to=S.HELD_FOR_REVIEW, reason=reason)


def payment_event_claim(*, gateway: str, event_id: str, kind: str) -> PaymentEvent | None:
    """Claim a provider event for processing, inside the caller's transaction.
    Returns None when it was processed already (or is being processed right now by
    a concurrent request, which blocks here until that one commits)."""
    try:
        with transaction.atomic():
            return PaymentEvent.objects.create(gateway=gateway, event_id=event_id, kind=kind)
    except IntegrityError:
        return None


@dataclass(frozen=True)
class WebhookReply:
    status: int
    message: str


def webhook_receive(*, gateway: str, body: bytes, signature: str) -> WebhookReply:
    """A provider's notification: verified and read by the gateway, then applied at
    most once per event id. Anything not genuine is answered 400 and changes nothing;
    when the provider cannot be asked for details, 503 so that it sends it again."""
    try:
        news = gateway_get(gateway).webhook_read(body=body, signature=signature)
    except WebhookRejected as error:
        return WebhookReply(status=400, message=str(error))
    except GatewayError:
        return WebhookReply(status=503, message="provider unreachable; send again later")
    return _news_apply(gateway, news)


@transaction.atomic
def _news_apply(gateway: str, news: WebhookNews) -> WebhookReply:
    claimed = payment_event_claim(gateway=gateway, event_id=news.event_id, kind=news.kind)
    if claimed is None:
        return WebhookReply(status=200, message="already processed")
    payment = None
    if news.result.happened == Happened.IGNORED:
        claimed.outcome = "ignored"
    else:
        reference = news.result.reference
        payment = Payment.objects.filter(gateway=gateway, reference=reference).first()
        if not reference or payment is None:
            claimed.outcome = "unknown payment"
        else:
            claimed.outcome = payment_apply(payment=payment, result=news.result)[:200]
    claimed.payment = payment
    claimed.save(update_fields=["payment", "outcome"])
    return WebhookReply(status=200, message=claimed.outcome)
