"""The invariants bench/load.py checks in the database after the load (Django must be
set up on the benchmark's database first). Each check returns (name, problems): an
empty list of problems means it holds.

The order state machine (shop/orders/services.py) says what is possible:
- awaiting payment: its stock is reserved, and no payment has succeeded;
- paid (and held for review, dispatched, delivered, which only a paid order reaches):
  stock reserved, a paid_at time, exactly one successful payment that was not given
  back, for the order's total;
- cancelled: its stock released, and any payment that succeeded after all was
  refunded.
No unpaid order still holds stock after its reservation ended (plus one sweep of the
queue). Stock is conserved: for each module, the initial stock minus the stock now equals the
units held by orders that reserve stock; and no module sold more than it had."""

from collections import Counter, defaultdict

from django.db.models import Sum

from shop.models import (
    Module,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentStatus,
)
from shop.orders.reservations import ABANDONED_REASONS

S = OrderStatus
PAID_STATES = {S.PAID, S.HELD_FOR_REVIEW, S.DISPATCHED, S.DELIVERED}


def _kept_successes() -> dict[int, int]:
    """Order id -> number of succeeded payments that were not refunded."""
    kept = Counter()
    succeeded = Payment.objects.filter(status=PaymentStatus.SUCCEEDED, refunds__isnull=True)
    for order_id in succeeded.values_list("order_id", flat=True):
        kept[order_id] += 1
    return kept


def check_stock(initial: dict[int, int]) -> list[tuple[str, list[str]]]:
    reserved = defaultdict(int)
    sold = defaultdict(int)
    lines = OrderLine.objects.values_list("module_id", "quantity", "order__status")
    reserving = OrderLine.objects.filter(order__stock_reserved=True)
    for module_id, quantity in reserving.values_list("module_id", "quantity"):
        reserved[module_id] += quantity
    for module_id, quantity, status in lines:
        if status in PAID_STATES:
            sold[module_id] += quantity
    now = dict(Module.objects.values_list("pk", "stock"))
    negative = [f"module {pk}: stock {stock}" for pk, stock in now.items() if stock < 0]
    conserved = [
        f"module {pk}: {initial[pk]} at start, {now[pk]} now, {reserved[pk]} reserved by orders"
        for pk in initial
        if initial[pk] - now[pk] != reserved[pk]
    ]
    oversold = [
        f"module {pk}: {sold[pk]} sold of {initial[pk]}" for pk in initial if sold[pk] > initial[pk]
    ]
    return [
        ("no stock below zero", negative),
        ("stock conserved (initial - now = reserved by orders)", conserved),
        ("no module oversold (sold <= initial stock)", oversold),
    ]


def check_orders(*, reconciled: bool) -> list[tuple[str, list[str]]]:
    kept = _kept_successes()
    paid, pending, cancelled, reserved_flag = [], [], [], []
    for order in Order.objects.only("pk", "number", "status", "stock_reserved", "paid_at"):
        successes = kept.get(order.pk, 0)
        if order.status in PAID_STATES:
            if successes != 1 or order.paid_at is None:
                paid.append(f"{order.number} {order.status}: {successes} successful payments")
            if not order.stock_reserved:
                reserved_flag.append(f"{order.number} {order.status} holds no stock")
        elif order.status == S.PENDING_PAYMENT:
            if successes:
                pending.append(f"{order.number} awaiting payment with a successful payment")
            if not order.stock_reserved:
                reserved_flag.append(f"{order.number} awaiting payment holds no stock")
        elif order.status == S.CANCELLED:
            if successes:
                cancelled.append(f"{order.number} cancelled keeps {successes} payment(s)")
            if order.stock_reserved:
                reserved_flag.append(f"{order.number} cancelled still holds its stock")
    mismatched = [
        f"payment {pk} of {number}: {amount} for {total}"
        for pk, number, amount, total in Payment.objects.values_list(
            "pk", "order__number", "amount_pence", "order__total_pence"
        )
        if amount != total
    ]
    checks = [
        ("every paid order has exactly one successful payment", paid),
        ("no order awaiting payment has a successful payment", pending),
        ("no cancelled order keeps money", cancelled),
        ("stock reserved exactly while awaiting payment or paid", reserved_flag),
        ("every payment is for its order's total", mismatched),
        ("every order's log ends in its status", _log_problems()),
    ]
    checks.append(("no expired reservation still holds stock", expired_holds()))
    if reconciled:
        left = list(Order.objects.filter(status=S.PENDING_PAYMENT).values_list("number", flat=True))
        checks.append(("no order left awaiting payment after reconciliation", left))
    return checks


def expired_holds(now=None) -> list[str]:
    """Unpaid orders past the end of their reservation that still hold stock: the queue
    (shop.checkout.tasks) must have released them. A grace of one sweep interval covers
    a task that is due but not yet picked up."""
    from datetime import timedelta

    from django.utils import timezone

    from shop.checkout.tasks import SWEEP_EVERY
    from shop.orders.reservations import reservation_period

    cutoff = (now or timezone.now()) - reservation_period() - SWEEP_EVERY - timedelta(minutes=1)
    overdue = Order.objects.filter(
        status=S.PENDING_PAYMENT, stock_reserved=True, created_at__lt=cutoff
    )
    return [
        f"{number} placed {created:%H:%M:%S}"
        for number, created in overdue.values_list("number", "created_at")
    ]


def _log_problems() -> list[str]:
    problems = []
    for order in Order.objects.prefetch_related("events"):
        statuses = [e.to_status for e in order.events.all() if e.kind in ("placed", "status")]
        if not statuses or statuses[-1] != order.status:
            problems.append(f"{order.number} is {order.status}, its log says {statuses}")
    return problems


def check_client_view(attempts) -> list[tuple[str, list[str]]]:
    """What each shopper was shown matches the database: an order shown paid is paid,
    a declined card left the order cancelled, and so on (card scenarios' expected end
    states, see load_shopper.CARDS). Orders cut off by a killed worker are skipped."""
    statuses = dict(Order.objects.values_list("number", "status"))
    # An order released as abandoned under the shopper's card form may end cancelled
    # (stock gone: the late payment is given back) or paid (stock taken again).
    released = set(
        OrderEvent.objects.filter(reason__in=ABANDONED_REASONS).values_list(
            "order__number", flat=True
        )
    )
    problems = [
        f"{attempt.order_number} ({attempt.card}): {attempt.note}"
        for attempt in attempts
        if attempt.note.startswith("shown")
    ]
    for attempt in attempts:
        if not attempt.order_number or attempt.note:
            continue
        status = statuses.get(attempt.order_number)
        if attempt.seen_status and attempt.seen_status != status:
            problems.append(f"{attempt.order_number}: shown {attempt.seen_status}, is {status}")
        elif attempt.seen_status and status not in attempt.expected:
            if attempt.order_number in released and status in PAID_STATES | {S.CANCELLED}:
                continue
            problems.append(f"{attempt.order_number} ({attempt.card}) ended {status}")
    doubled = [
        f"{attempt.order_number} and {', '.join(attempt.extra_orders)} from one basket"
        for attempt in attempts
        if attempt.extra_orders
    ]
    return [
        ("what shoppers were shown matches the database", problems),
        ("a double click on 'Place order' places one order", doubled),
    ]


def order_counts() -> dict[str, int]:
    counts = Counter(Order.objects.values_list("status", flat=True))
    units = OrderLine.objects.filter(order__status__in=PAID_STATES).aggregate(n=Sum("quantity"))
    return {**counts, "units sold": units["n"] or 0}
