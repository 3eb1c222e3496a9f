"""Sales statistics for staff, read only from what survives the anonymisation of tax
records (see shop.orders.retention): the order's month and status, and its lines'
module, quantity and price. An anonymised order counts exactly like any other."""

from dataclasses import dataclass

from django.db.models import F, Sum
from django.db.models.functions import TruncMonth

from privacy.consent.purposes import uses_personal_data
from shop.models import OrderLine, OrderStatus

# Orders that were paid for and not given back.
SOLD = [OrderStatus.PAID, OrderStatus.DISPATCHED, OrderStatus.DELIVERED]


@dataclass(frozen=True)
class Bar:
    label: str
    units: int
    revenue_pence: int
    # Length of the bar in percent of the largest one (for the chart).
    percent: float = 0.0


def _bars(rows, label) -> list[Bar]:
    rows = list(rows)
    top = max((row["revenue_pence"] for row in rows), default=0) or 1
    return [
        Bar(
            label=label(row),
            units=row["units"],
            revenue_pence=row["revenue_pence"],
            percent=round(100 * row["revenue_pence"] / top, 1),
        )
        for row in rows
    ]


def _sold_lines():
    return OrderLine.objects.filter(order__status__in=SOLD)


def _totals(queryset):
    return queryset.annotate(
        units=Sum("quantity"), revenue_pence=Sum(F("quantity") * F("unit_price_pence"))
    )


@uses_personal_data("statistics", categories=["transaction"])
def sales_by_month() -> list[Bar]:
    """Units and revenue per calendar month of the order, oldest first."""
    rows = _totals(
        _sold_lines().annotate(month=TruncMonth("order__created_at")).values("month")
    ).order_by("month")
    return _bars(rows, lambda row: row["month"].strftime("%Y-%m"))


@uses_personal_data("statistics", categories=["transaction"])
def sales_by_generation() -> list[Bar]:
    """Units and revenue per memory generation (DDR3, DDR4...), through the module."""
    rows = _totals(_sold_lines().values("module__generation")).order_by("module__generation")
    return _bars(rows, lambda row: row["module__generation"])
