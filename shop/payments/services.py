"""What gateways report, applied to payments and orders.

An order becomes paid only here, from a payment the provider confirmed server-side
(a verified webhook or a retrieve), for the order's exact amount and currency.
Every function locks the payment row first, so concurrent deliveries of the same
news serialise and the second one finds nothing left to do."""

import logging

from django.db import IntegrityError, transaction

from shop.fraud.services import order_fraud_check
from shop.models import Order, OrderEvent, OrderStatus, Payment, PaymentEvent, PaymentStatus, Refund
from shop.orders.emails import order_paid_email_send, order_refunded_out_of_stock_email_send
from shop.orders.services import (
    IllegalTransition,
    StockUnavailable,
    order_lock,
    order_stock_reserve_again,
    order_transition,
)

logger = logging.getLogger(__name__)
S = OrderStatus


# What a provider may report about the card and the payment's risk.
CHECK_FIELDS = ("card_country", "cvc_check", "postcode_check", "risk_level")


class RefundError(Exception):
    pass


def payment_lock(*, payment: Payment) -> Payment:
    return Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)


def _payment_status_set(payment: Payment, status: str, **fields) -> None:
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.status = status
    payment.save(update_fields=["status", "updated_at", *fields])


@transaction.atomic
def payment_create(*, order: Order, gateway: str, reference: str = "", status: str = "") -> Payment:
    return Payment.objects.create(
        order=order,
        gateway=gateway,
        reference=reference,
        amount_pence=order.total_pence,
        currency=order.currency,
        status=status or PaymentStatus.CREATED,
    )


@transaction.atomic
def payment_requires_action(*, payment: Payment, **fields) -> None:
    locked = payment_lock(payment=payment)
    if locked.status in (PaymentStatus.CREATED, PaymentStatus.REQUIRES_ACTION):
        _payment_status_set(locked, PaymentStatus.REQUIRES_ACTION, **fields)
    payment.refresh_from_db()


@transaction.atomic
def payment_succeeded(
    *,
    payment: Payment,
    amount_pence: int,
    currency: str,
    card_brand: str = "",
    card_last4: str = "",
    checks: dict | None = None,
) -> bool:
    """The provider says the money was taken. Returns True when this made the order
    paid (and only then is the confirmation e-mail queued). `checks` carries the
    provider's card checks and risk outcome (keys of CHECK_FIELDS); the fraud rules
    read them, and an order that trips one is held for review at once."""
    locked = payment_lock(payment=payment)
    order = order_lock(order=locked.order)
    if amount_pence != order.total_pence or currency.upper() != order.currency:
        OrderEvent.objects.create(
            order=order,
            kind="payment_mismatch",
            reason=f"{locked.reference}: {amount_pence} {currency} for {order.total_pence}",
        )
        logger.warning("Payment %s amount/currency mismatch on %s", locked.pk, order.number)
        return False
    if locked.status != PaymentStatus.SUCCEEDED:
        card = {"card_brand": card_brand[:20], "card_last4": card_last4[-4:]}
        card.update({k: str(v)[:16] for k, v in (checks or {}).items() if k in CHECK_FIELDS})
        _payment_status_set(locked, PaymentStatus.SUCCEEDED, **{k: v for k, v in card.items() if v})
    payment.refresh_from_db()
    other_success = (
        order.payments.filter(status=PaymentStatus.SUCCEEDED).exclude(pk=locked.pk).exists()
    )
    already_given_back = locked.refunds.exists()
    if other_success:
        # The order was already paid by another payment: give this one back (once).
        if not already_given_back:
            _refund_quietly(payment=locked, reason="duplicate payment for a paid order")
        return False
    if order.status == S.CANCELLED:
        if already_given_back:
            return False  # this news was handled before: the money went back
        try:
            order_stock_reserve_again(order=order)
        except StockUnavailable:
            _refund_quietly(payment=locked, reason="stock gone before the payment completed")
            transaction.on_commit(lambda: order_refunded_out_of_stock_email_send(order=order))
            return False
    try:
        changed = order_transition(order=order, to=S.PAID, reason=f"payment {locked.reference}")
    except IllegalTransition:
        return False  # already beyond paid (dispatched, refunded...): nothing to do
    if changed:
        transaction.on_commit(lambda: order_paid_email_send(order=order))
        order_fraud_check(order=order, payment=locked)
    return changed


@transaction.atomic
def payment_failed(
    *, payment: Payment, message: str, card_brand: str = "", card_last4: str = ""
) -> bool:
    """The provider says the payment failed. A late failure never undoes a success.
    The order, if still awaiting payment, is cancelled and its stock released."""
    locked = payment_lock(payment=payment)
    if locked.status in (PaymentStatus.SUCCEEDED, PaymentStatus.FAILED):
        return False
    card = {"card_brand": card_brand[:20], "card_last4": card_last4[-4:]}
    _payment_status_set(
        locked,
        PaymentStatus.FAILED,
        failure_message=message[:200],
        **{k: v for k, v in card.items() if v},
    )
    payment.refresh_from_db()
    order = locked.order
    if order.status != S.PENDING_PAYMENT:
        return False
    return order_transition(order=order, to=S.CANCELLED, reason=f"payment failed: {message}")


def _refund_quietly(*, payment: Payment, reason: str) -> None:
    from shop.payments.registry import gateway_get

    reference = gateway_get(payment.gateway).refund_create(
        payment=payment, amount_pence=payment.amount_pence
    )
    Refund.objects.create(
        payment=payment, amount_pence=payment.amount_pence, reference=reference, reason=reason
    )
    OrderEvent.objects.create(order=payment.order, kind="refund_automatic", reason=reason[:200])


@transaction.atomic
def refund_record(
    *, payment: Payment, amount_pence: int, reference: str, reason: str = "", by=None
) -> Refund | None:
    """Record money given back on a payment, once per provider reference, and add it
    to the order's refunded total. A refund of the whole total refunds the order."""
    locked = payment_lock(payment=payment)
    if reference and Refund.objects.filter(payment=locked, reference=reference).exists():
        return None
    order = order_lock(order=locked.order)
    if amount_pence <= 0 or amount_pence > order.total_pence - order.refunded_pence:
        raise RefundError(f"{amount_pence} exceeds what is refundable on {order.number}")
    refund = Refund.objects.create(
        payment=locked, amount_pence=amount_pence, reference=reference, reason=reason, created_by=by
    )
    order.refunded_pence += amount_pence
    order.save(update_fields=["refunded_pence", "updated_at"])
    OrderEvent.objects.create(order=order, kind="refund", reason=f"{amount_pence} {reason}"[:200])
    if order.refunded_pence == order.total_pence and order.status != S.REFUNDED:
        order_transition(order=order, to=S.REFUNDED, reason="refunded in full")
    return refund


def payment_refund(*, payment: Payment, amount_pence: int, reason: str = "", by=None) -> Refund:
    """Staff refund, full or partial, through the payment's gateway."""
    from shop.payments.registry import gateway_get

    order = payment.order
    order.refresh_from_db()
    if payment.status != PaymentStatus.SUCCEEDED:
        raise RefundError("Only a successful payment can be refunded.")
    if amount_pence <= 0 or amount_pence > order.refundable_pence:
        raise RefundError(f"Choose an amount between 1 and {order.refundable_pence} pence.")
    reference = gateway_get(payment.gateway).refund_create(
        payment=payment, amount_pence=amount_pence
    )
    refund = refund_record(
        payment=payment, amount_pence=amount_pence, reference=reference, reason=reason, by=by
    )
    return refund or Refund.objects.get(payment=payment, reference=reference)


@transaction.atomic
def payment_disputed(*, payment: Payment, reason: str) -> bool:
    """A chargeback was opened: hold a paid order for staff review."""
    order = order_lock(order=payment.order)
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
