"""Staff decisions on an order held for review (by the fraud rules, a dispute or
staff): let it go on to dispatch, or refuse it, which refunds it in full. The only
way out of held-for-review back to paid: the order lifecycle keeps that move for a
named staff member's decision (`staff_moves`)."""

from django.db import transaction
from django.utils.translation import gettext as _

from privacy.lifecycle import row_lock
from shop.models import Order, OrderEvent, OrderStatus, PaymentStatus
from shop.orders.services import order_stock_release, order_transition
from shop.payments.refunds import payment_refund, refundable_now


class ReviewError(Exception):
    """A staff decision on a held order that cannot be applied; the text says why."""


@transaction.atomic
def order_review_release(*, order: Order, reason: str, by) -> bool:
    """Staff checked a held order and let it go on to dispatch."""
    if not reason.strip():
        raise ReviewError(_("A reason is required."))
    if not getattr(by, "is_staff", False):
        raise ReviewError(_("Only staff can release a held order."))
    locked = row_lock(order)
    if locked.status != OrderStatus.HELD_FOR_REVIEW:
        raise ReviewError(_("%(number)s is not held for review.") % {"number": locked.number})
    OrderEvent.objects.create(order=locked, kind="review_released", reason=reason[:200])
    changed = order_transition(order=locked, to=OrderStatus.PAID, reason=f"staff #{by.pk}", by=by)
    order.refresh_from_db()
    return changed


def order_review_refund(*, order: Order, reason: str, by) -> bool:
    """Staff judged a held order fraudulent: refund it in full. The order becomes
    refunded once the provider says the refund succeeded (at once for the
    simulator); its modules go back to stock now, as they never left."""
    if not reason.strip():
        raise ReviewError(_("A reason is required."))
    order.refresh_from_db()
    if order.status != OrderStatus.HELD_FOR_REVIEW:
        raise ReviewError(_("%(number)s is not held for review.") % {"number": order.number})
    payment = order.payments.filter(status=PaymentStatus.SUCCEEDED).first()
    if payment is None:
        raise ReviewError(
            _("%(number)s has no successful payment to refund.") % {"number": order.number}
        )
    OrderEvent.objects.create(order=order, kind="review_refused", reason=reason[:200])
    payment_refund(
        payment=payment,
        amount_pence=refundable_now(order=order),
        reason=f"review: {reason}",
        by=by,
    )
    order_stock_release(order=order)
    order.refresh_from_db()
    return order.status == OrderStatus.REFUNDED
