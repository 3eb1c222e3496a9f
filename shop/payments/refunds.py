"""Money given back, wherever the refund started: by staff here, in the provider's
dashboard, or automatically (a duplicate payment, a late payment for stock that is
gone). Each refund is recorded once per provider reference and follows the
provider's status: pending, then succeeded or failed (a card refund can even fail
after it succeeded), through its lifecycle. Only succeeded refunds count towards the
order's refunded total, and an order refunded in full becomes refunded.

What a provider reports is checked against the payment before anything is written:
a refund in another currency, of zero or a negative amount, or that would take the
payment's refunds above what it paid, is refused, logged and flagged to staff (an
order event `refund_refused`, a filter in the order admin) and never counted; the
webhook still answers 2xx so that the provider does not send it again for days."""

import logging

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from offtek.money import Money
from privacy.lifecycle import Lifecycle, lifecycle_move, row_lock
from shop.invoices.tasks import credit_note_after_commit
from shop.models import Order, OrderEvent, OrderStatus, Payment, PaymentStatus, Refund
from shop.models import RefundStatus as R
from shop.orders.services import IllegalTransition, order_transition
from shop.payments.base import RefundResult
from shop.payments.registry import gateway_get

logger = logging.getLogger(__name__)


# A refund follows the provider: pending, then succeeded or failed; a card refund
# can still fail after it succeeded. A failed refund never comes back.
REFUND_LIFECYCLE = Lifecycle(
    moves={
        R.PENDING: frozenset({R.SUCCEEDED, R.FAILED}),
        R.SUCCEEDED: frozenset({R.FAILED}),
        R.FAILED: frozenset(),
    }
)


class RefundError(Exception):
    """A refund that cannot be made or counted; the message is safe to show."""


class RefundRefused(RefundError):
    """A refund the provider reported that does not fit its payment."""


def _refund_refusal(payment: Payment, refund: RefundResult) -> str:
    """Why a new refund cannot belong to `payment` ("" when it can)."""
    if refund.amount_pence <= 0:
        return _("The refund amount %(amount)s is not positive.") % {"amount": refund.amount_pence}
    if refund.currency.upper() != payment.currency.upper():
        return _("The refund is in %(theirs)s, the payment in %(ours)s.") % {
            "theirs": refund.currency.upper() or "?",
            "ours": payment.currency.upper(),
        }
    given_back = payment.refunds.exclude(status=R.FAILED).aggregate(total=Sum("amount_pence"))
    if (given_back["total"] or 0) + refund.amount_pence > payment.amount_pence:
        return _("The refunds would exceed the %(paid)s paid.") % {"paid": payment.amount_pence}
    return ""


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
    locked = row_lock(payment)
    order = row_lock(locked.order)
    row = Refund.objects.filter(payment=locked, reference=refund.reference).first()
    status = refund.status if refund.status in R.values else R.PENDING
    if row is None:
        refusal = _refund_refusal(locked, refund)
        if refusal:
            raise RefundRefused(refusal)
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
    else:
        try:
            moved = lifecycle_move(
                lifecycle=REFUND_LIFECYCLE,
                row=row,
                to=status,
                reason=f"provider: {status}",
                extra_fields={"failure_reason": refund.failure_reason[:100]},
            )
        except IllegalTransition:
            moved = False  # late news: a failed refund does not come back
        if not moved:
            return None  # known already
    if status == R.FAILED:
        note = f"{row.reference}: {row.amount_pence} not refunded {row.failure_reason}".strip()
        OrderEvent.objects.create(order=order, kind="refund_failed", reason=note[:200])
        logger.warning("Refund %s failed on %s", row.reference, order.number)
    if row.counts_towards_order:
        _order_follow(order)
    credit_note_after_commit(refund=row)
    return row


def refunds_apply(*, payment: Payment, refunds: tuple[RefundResult, ...]) -> str:
    """Refunds the provider reported on a payment (from its dashboard or ours). One
    that does not fit the payment or its order is refused: nothing of it is written
    or counted, staff see why on the order, and the answer is still a success."""
    changed = refused = 0
    for refund in refunds:
        try:
            if refund_record(payment=payment, refund=refund, reason="reported by the provider"):
                changed += 1
        except RefundError as error:
            refused += 1
            note = f"{refund.reference}: {refund.amount_pence} {refund.currency}: {error}"
            OrderEvent.objects.create(order=payment.order, kind="refund_refused", reason=note[:200])
            logger.warning("Refund refused on %s: %s", payment.order.number, note)
    outcome = f"{changed} refund(s) recorded"
    return f"{outcome}, {refused} refused" if refused else outcome


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
            _("Choose an amount between %(least)s and %(available)s.")
            % {"least": Money(1, order.currency), "available": Money(available, order.currency)}
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
