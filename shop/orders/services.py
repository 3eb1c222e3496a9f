"""The order state machine and the stock an order holds.

`order_transition` is the only code that changes `Order.status`; it is a thin wrapper
over privacy.lifecycle, the skeleton every state machine shares."""

from django.db import transaction

from privacy.lifecycle import IllegalTransition as IllegalTransition  # re-exported
from privacy.lifecycle import Lifecycle, lifecycle_move, row_lock
from shop.catalog.services import modules_update
from shop.models import Module, Order, OrderEvent, OrderStatus

S = OrderStatus

# Allowed moves and the time an order first entered a status, as data. A cancelled
# order can still become paid when a payment succeeds late and its stock can be
# reserved again (see payments.services). An order held for review (fraud rules, a
# dispute, staff) goes back to paid only by a staff decision (payments.review): no
# webhook, return page, task or command can release it. Refunded in full it becomes
# refunded, since only staff can give money back (here or at the provider).
ORDER_LIFECYCLE = Lifecycle(
    moves={
        S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
        S.PAID: frozenset({S.DISPATCHED, S.REFUNDED, S.HELD_FOR_REVIEW}),
        S.HELD_FOR_REVIEW: frozenset({S.REFUNDED}),
        S.DISPATCHED: frozenset({S.DELIVERED, S.REFUNDED}),
        S.DELIVERED: frozenset({S.REFUNDED}),
        S.CANCELLED: frozenset({S.PAID}),
        S.REFUNDED: frozenset(),
    },
    staff_moves={S.HELD_FOR_REVIEW: frozenset({S.PAID})},
    stamps={
        S.PAID: "paid_at",
        S.DISPATCHED: "dispatched_at",
        S.DELIVERED: "delivered_at",
    },
)
TRANSITIONS = ORDER_LIFECYCLE.moves


class StockUnavailable(Exception):
    pass


def order_transition(*, order: Order, to: str, reason: str = "", by=None, at=None) -> bool:
    """Move the order to `to` through the shared lifecycle skeleton: locks the row;
    does nothing (returns False) when the order is already there; raises
    IllegalTransition for a move the table forbids (and for a staff-only move without
    `by`, the staff member deciding). Entering `paid` without reserved
    stock (a late payment) reserves it again or raises StockUnavailable, changing
    nothing; entering `cancelled` gives the reserved stock back. `at`: when it
    happened, if not now (a courier's delivery time), for the status's timestamp."""

    def before(locked: Order, from_status: str) -> None:
        if to == S.PAID and not locked.stock_reserved:
            order_stock_reserve_again(order=locked)
            locked.refresh_from_db()

    def on_enter(locked: Order, from_status: str) -> None:
        OrderEvent.objects.create(
            order=locked, kind="status", from_status=from_status, to_status=to, reason=reason[:200]
        )
        if to == S.CANCELLED:
            order_stock_release(order=locked)

    stamp = ORDER_LIFECYCLE.stamps.get(to)
    return lifecycle_move(
        lifecycle=ORDER_LIFECYCLE,
        row=order,
        to=to,
        reason=reason,
        before=before,
        on_enter=on_enter,
        extra_fields={stamp: at} if stamp and at is not None else None,
        by=by,
    )


def _order_modules(order: Order) -> tuple[list[Module], dict[int, int]]:
    wanted: dict[int, int] = {}
    for module_id, quantity in order.lines.values_list("module_id", "quantity"):
        wanted[module_id] = wanted.get(module_id, 0) + quantity
    modules = list(Module.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    return modules, wanted


@transaction.atomic
def order_stock_release(*, order: Order) -> bool:
    """Give an order's reserved modules back to stock, once."""
    locked = row_lock(order)
    if not locked.stock_reserved:
        return False
    modules, wanted = _order_modules(locked)
    for module in modules:
        module.stock += wanted[module.pk]
    modules_update(modules=modules, fields=["stock"], reason=f"released by {locked.number}")
    locked.stock_reserved = False
    locked.save(update_fields=["stock_reserved", "updated_at"])
    OrderEvent.objects.create(order=locked, kind="stock_released")
    order.refresh_from_db()
    return True


@transaction.atomic
def order_stock_reserve_again(*, order: Order) -> None:
    """Reserve a released order's modules again (a payment succeeded late).
    Raises StockUnavailable, changing nothing, when they are no longer in stock."""
    locked = row_lock(order)
    if locked.stock_reserved:
        return
    modules, wanted = _order_modules(locked)
    if len(modules) != len(wanted) or any(m.stock < wanted[m.pk] for m in modules):
        raise StockUnavailable(locked.number)
    for module in modules:
        module.stock -= wanted[module.pk]
    modules_update(modules=modules, fields=["stock"], reason=f"reserved again for {locked.number}")
    locked.stock_reserved = True
    locked.save(update_fields=["stock_reserved", "updated_at"])
    OrderEvent.objects.create(order=locked, kind="stock_reserved_again")
    order.refresh_from_db()
