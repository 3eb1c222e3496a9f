"""The order state machine and the stock an order holds.

`order_transition` is the only code that changes `Order.status`."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from shop.models import Module, Order, OrderEvent, OrderStatus

S = OrderStatus

# Allowed moves, as data. A cancelled order can still become paid when a payment
# succeeds late and its stock can be reserved again (see payments.services).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.DISPATCHED, S.REFUNDED, S.HELD_FOR_REVIEW}),
    S.HELD_FOR_REVIEW: frozenset({S.PAID, S.REFUNDED}),
    S.DISPATCHED: frozenset({S.DELIVERED, S.REFUNDED}),
    S.DELIVERED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset({S.PAID}),
    S.REFUNDED: frozenset(),
}

# The time an order first entered a status, where we keep one, as data.
STAMPS: dict[str, str] = {
    S.PAID: "paid_at",
    S.DISPATCHED: "dispatched_at",
    S.DELIVERED: "delivered_at",
}

ABANDONED_AFTER = timedelta(minutes=30)


class IllegalTransition(Exception):
    """The order's status may not move from where it is to where it was asked to go."""

    def __init__(self, order: Order, from_status: str, to_status: str):
        self.order = order
        self.from_status = from_status
        self.to_status = to_status
        super().__init__(f"{order.number}: {from_status} -> {to_status} is not allowed")


class StockUnavailable(Exception):
    pass


def order_lock(*, order: Order) -> Order:
    """The order row, locked until the end of the transaction."""
    return Order.objects.select_for_update().get(pk=order.pk)


@transaction.atomic
def order_transition(*, order: Order, to: str, reason: str = "") -> bool:
    """Move the order to `to`. Locks the row; does nothing (returns False) when the
    order is already there; raises IllegalTransition for a move the table forbids.
    Entering `cancelled` gives the reserved stock back; entering `paid` without
    reserved stock (a late payment) reserves it again or raises StockUnavailable."""
    locked = order_lock(order=order)
    from_status = locked.status
    if from_status == to:
        order.refresh_from_db()
        return False
    if to not in TRANSITIONS[from_status]:
        raise IllegalTransition(locked, from_status, to)
    if to == S.PAID and not locked.stock_reserved:
        order_stock_reserve_again(order=locked)  # raises StockUnavailable, changing nothing
        locked.refresh_from_db()
    update_fields = ["status", "updated_at"]
    locked.status = to
    stamp = STAMPS.get(to)
    if stamp and getattr(locked, stamp) is None:
        setattr(locked, stamp, timezone.now())
        update_fields.append(stamp)
    locked._change_reason = reason[:100]
    locked.save(update_fields=update_fields)
    OrderEvent.objects.create(
        order=locked, kind="status", from_status=from_status, to_status=to, reason=reason[:200]
    )
    if to == S.CANCELLED:
        order_stock_release(order=locked)
    order.refresh_from_db()
    return True


def _order_modules(order: Order) -> tuple[list[Module], dict[int, int]]:
    wanted: dict[int, int] = {}
    for module_id, quantity in order.lines.values_list("module_id", "quantity"):
        wanted[module_id] = wanted.get(module_id, 0) + quantity
    modules = list(Module.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    return modules, wanted


@transaction.atomic
def order_stock_release(*, order: Order) -> bool:
    """Give an order's reserved modules back to stock, once."""
    locked = order_lock(order=order)
    if not locked.stock_reserved:
        return False
    modules, wanted = _order_modules(locked)
    for module in modules:
        module.stock += wanted[module.pk]
    bulk_update_with_history(
        modules, Module, ["stock"], default_change_reason=f"released by {locked.number}"
    )
    locked.stock_reserved = False
    locked.save(update_fields=["stock_reserved", "updated_at"])
    OrderEvent.objects.create(order=locked, kind="stock_released")
    order.refresh_from_db()
    return True


@transaction.atomic
def order_stock_reserve_again(*, order: Order) -> None:
    """Reserve a released order's modules again (a payment succeeded late).
    Raises StockUnavailable, changing nothing, when they are no longer in stock."""
    locked = order_lock(order=order)
    if locked.stock_reserved:
        return
    modules, wanted = _order_modules(locked)
    if len(modules) != len(wanted) or any(m.stock < wanted[m.pk] for m in modules):
        raise StockUnavailable(locked.number)
    for module in modules:
        module.stock -= wanted[module.pk]
    bulk_update_with_history(
        modules, Module, ["stock"], default_change_reason=f"reserved again for {locked.number}"
    )
    locked.stock_reserved = True
    locked.save(update_fields=["stock_reserved", "updated_at"])
    OrderEvent.objects.create(order=locked, kind="stock_reserved_again")
    order.refresh_from_db()


def orders_release_abandoned(*, now=None, older_than: timedelta = ABANDONED_AFTER) -> int:
    """Cancel orders left awaiting payment for longer than `older_than`, which gives
    their stock back. Each order in its own transaction; safe to re-run."""
    cutoff = (now or timezone.now()) - older_than
    # A payment the provider is still processing (e.g. a bank debit) is not abandoned.
    pending = Order.objects.filter(status=S.PENDING_PAYMENT, created_at__lt=cutoff).exclude(
        payments__status="processing"
    )
    released = 0
    for order in pending.only("pk").iterator():
        try:
            changed = order_transition(
                order=order, to=S.CANCELLED, reason="abandoned: no payment in time"
            )
        except IllegalTransition:
            continue  # paid in the meantime
        released += int(changed)
    return released
