"""The end of a reservation: an unpaid order holds its stock for
SHOP_RESERVATION_MINUTES, then is cancelled, which gives the stock back.

Called by the queued tasks (shop.checkout.tasks) and, so that an expired hold never
blocks a shopper even when no worker has run yet, wherever stock is read for a sale:
adding to the basket, placing an order, the pay page; and by `manage.py
release_abandoned_orders`. The one way an unpaid order is released: an order whose
payment the provider is still processing (a bank debit, a 3-D Secure check under
way) is not abandoned, whatever its age."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from shop.customer_pages.moments import changes_at
from shop.models import Order, OrderEvent, OrderLine, OrderStatus, PaymentStatus
from shop.orders.services import IllegalTransition, order_transition

EXPIRED_REASON = "reservation expired: no payment in time"
# Orders released before the two release paths became one carry the older reason.
ABANDONED_REASONS = (EXPIRED_REASON, "abandoned: no payment in time")


def reservation_period() -> timedelta:
    return timedelta(minutes=settings.SHOP_RESERVATION_MINUTES)


def reservation_ends_at(order: Order):
    return order.created_at + reservation_period()


def order_reservation_ran_out(order: Order) -> bool:
    """Cancelled because nobody paid before the reservation ended."""
    if order.status != OrderStatus.CANCELLED:
        return False
    return order.events.filter(
        to_status=OrderStatus.CANCELLED, reason__in=ABANDONED_REASONS
    ).exists()


def orders_ran_out_since(*, user, since) -> list[str]:
    """The numbers of the customer's orders whose reservation ran out after `since`
    (newest first). Read from the orders' logs: the basket and checkout pages ask on
    every load, and nearly always find none."""
    cancellations = OrderEvent.objects.filter(
        order__user=user,
        order__status=OrderStatus.CANCELLED,
        to_status=OrderStatus.CANCELLED,
        reason__in=ABANDONED_REASONS,
        created_at__gte=since,
    )
    rows = cancellations.order_by("-order__created_at").values_list("order__number", "created_at")
    window = timezone.now() - since
    for _number, cancelled_at in rows:
        changes_at(cancelled_at + window)  # a kept page naming it ends when it leaves
    return list(dict.fromkeys(number for number, _at in rows))  # cancelled twice: named once


def reservations_release_expired(
    *, now=None, orders=None, older_than: timedelta | None = None
) -> int:
    """Cancel the unpaid orders whose reservation has ended (all of them, or those of
    `orders`), except those with a payment still processing. `older_than`: another
    period than SHOP_RESERVATION_MINUTES (a manual run). Each in its own transaction;
    safe to re-run, and from several workers."""
    period = reservation_period() if older_than is None else older_than
    cutoff = (now or timezone.now()) - period
    expired = (
        (orders if orders is not None else Order.objects.all())
        .filter(status=OrderStatus.PENDING_PAYMENT, created_at__lte=cutoff)
        .exclude(payments__status=PaymentStatus.PROCESSING)
    )
    released = 0
    for order in expired.only("pk").iterator():
        try:
            released += int(
                order_transition(order=order, to=OrderStatus.CANCELLED, reason=EXPIRED_REASON)
            )
        except IllegalTransition:
            continue  # paid in the meantime
    return released


def reservations_release_expired_on(*, module_ids) -> int:
    """Expired holds on these modules, released before their stock is read for a sale."""
    holding = OrderLine.objects.filter(module_id__in=list(module_ids)).values("order_id")
    return reservations_release_expired(orders=Order.objects.filter(pk__in=holding))
