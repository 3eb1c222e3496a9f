"""Money given back, wherever the refund started: by staff here, in the provider's
dashboard, or automatically (a duplicate payment, a late payment for stock that is
gone). Each refund is recorded once per provider reference and follows the
provider's status: pending, then succeeded or failed (a card refund can even fail
after it succeeded). Only succeeded refunds count towards the order's refunded total,
and an order refunded in full becomes refunded."""

import logging

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from shop.invoices.tasks import credit_note_after_commit
from shop.models import Order, OrderEvent, OrderStatus, Payment, PaymentStatus, Refund
from shop.models import RefundStatus as R
from shop.orders.services import IllegalTransition, order_lock, order_transition
from shop.payments.base import RefundResult
from shop.payments.registry import gateway_get

logger = logging.getLogger(__name__)


class RefundError(Exception):
    """A refund that cannot be made or counted; the message is safe to show."""


def _refunds_sum(order: Order, statuses) -> int:
    found = Refund.objects.filter(
        payment__order=order, counts_towards_order=True, status__in=statuses
    ).aggregate(total=Sum("amount_pence"))
    return found["total"] or 0


def refundable_now(*, order: Order) -> int:
    """What staff may still refund: the total less refunds succeeded or pending."""
    return order.total_pence - _refunds_sum(order, [R.PENDING, R.SUCCEEDED])


def _order_follow(order: Order) -> None:
    """The order's refunded total is the sum of its succeeded refunds; refunded in
    full, the order is refunded."""
    refunded = _refunds_sum(order, [R.SUCCEEDED])
    if refunded > order.total_pence:
        raise RefundError(
            _("This refund exceeds what was paid for %(number)s.") % {"number": order.number}
        )
    if refunded != order.refunded_pence:
        order.refunded_pence = refunded
        order.save(update_fields=["refunded_pence", "updated_at"])
    if refunded == order.total_pence and order.status != OrderStatus.REFUNDED:
        try:
            order_transition(order=order, to=OrderStatus.REFUNDED, reason="refunded in full")
        except IllegalTransition:
            logger.warning("%s refunded in full from status %s", order.number, order.status)


@transaction.atomic
def refund_record(
    *,
    payment: Payment,
    refund: RefundResult,
    reason: str = "",
    by=None,
    counts_towards_order: bool = True,
) -> Refund | None:
    """Record a refund the provider reported, or move a recorded one to its new
    status. Returns the refund when something changed, None for news already known.
    Raises RefundError (changing nothing) for a refund that cannot count towards the
    order, such as more than was paid."""
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    order = order_lock(order=locked.order)
    row = Refund.objects.filter(payment=locked, reference=refund.reference).first()
    status = refund.status if refund.status in R.values else R.PENDING
    if row is None:
        row = Refund.objects.create(
            payment=locked,
            amount_pence=refund.amount_pence,
            reference=refund.reference,
            reason=reason[:200],
            created_by=by,
            status=status,
            failure_reason=refund.failure_reason[:100],
            counts_towards_order=counts_towards_order,
        )
        note = f"{refund.amount_pence} {status} {reason}".strip()
        OrderEvent.objects.create(order=order, kind="refund", reason=note[:200])
    elif row.status == status or row.status == R.FAILED:
        return None  # known already; a failed refund does not come back
    else:
        row.status = status
        row.failure_reason = refund.failure_reason[:100]
        row.save(update_fields=["status", "failure_reason", "updated_at"])
    if status == R.FAILED:
        note = f"{row.reference}: {row.amount_pence} not refunded {row.failure_reason}".strip()
        OrderEvent.objects.create(order=order, kind="refund_failed", reason=note[:200])
        logger.warning("Refund %s failed on %s", row.reference, order.number)
    if row.counts_towards_order:
        _order_follow(order)
    credit_note_after_commit(refund=row)
    return row


def refunds_apply(*, payment: Payment, refunds: tuple[RefundResult, ...]) -> str:
    """Refunds the provider reported on a payment (from its dashboard or ours)."""
    changed = 0
    for refund in refunds:
        try:
            if refund_record(payment=payment, refund=refund, reason="reported by the provider"):
                changed += 1
        except RefundError:
            # e.g. a refund of a duplicate payment, which never counted towards the
            # order: nothing to add to the order's refunded total.
            logger.info("Refund %s not counted towards its order", refund.reference)
    return f"{changed} refund(s) recorded"


def payment_refund(*, payment: Payment, amount_pence: int, reason: str = "", by=None) -> Refund:
    """Staff refund, full or partial, through the payment's gateway. The refund is
    recorded with the provider's answer: it counts once the provider says succeeded."""
    order = payment.order
    order.refresh_from_db()
    if payment.status != PaymentStatus.SUCCEEDED:
        raise RefundError(_("Only a successful payment can be refunded."))
    available = refundable_now(order=order)
    if not 0 < amount_pence <= available:
        raise RefundError(
            _("Choose an amount between 1 and %(available)s pence.") % {"available": available}
        )
    result = gateway_get(payment.gateway).refund_create(
        payment=payment, amount_pence=amount_pence, attempt=payment.refunds.count()
    )
    row = refund_record(payment=payment, refund=result, reason=reason, by=by)
    return row or Refund.objects.get(payment=payment, reference=result.reference)


def refund_quietly(*, payment: Payment, reason: str) -> None:
    """Give a whole payment back that never paid its order (a duplicate, or a late
    payment for stock that is gone); it never counts towards the order."""
    result = gateway_get(payment.gateway).refund_create(
        payment=payment, amount_pence=payment.amount_pence, attempt=payment.refunds.count()
    )
    refund_record(payment=payment, refund=result, reason=reason, counts_towards_order=False)
    OrderEvent.objects.create(order=payment.order, kind="refund_automatic", reason=reason[:200])
