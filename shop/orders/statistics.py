"""Sales statistics for staff, read only from what survives the anonymisation of tax
records (see shop.orders.retention): the order's month, status and currency, and its
lines' module, quantity and price. An anonymised order counts exactly like any other.

Revenue is counted per currency: pounds and euros are never added together (the shop
converts nothing), so each chart is of one currency."""

from dataclasses import dataclass

from django.db.models import F, Sum
from django.db.models.functions import TruncMonth

from offtek.money import CURRENCIES, Money
from privacy.consent.purposes import uses_personal_data
from shop.models import OrderLine, OrderStatus

# Orders that were paid for and not given back.
SOLD = [OrderStatus.PAID, OrderStatus.DISPATCHED, OrderStatus.DELIVERED]


@dataclass(frozen=True)
class Bar:
    label: str
    units: int
    revenue: Money
    # Length of the bar in percent of the largest one (for the chart).
    percent: float = 0.0


def _bars(rows, label, currency) -> list[Bar]:
    rows = list(rows)
    top = max((row["revenue"] for row in rows), default=0) or 1
    return [
        Bar(
            label=label(row),
            units=row["units"],
            revenue=Money(row["revenue"], currency),
            percent=round(100 * row["revenue"] / top, 1),
        )
        for row in rows
    ]


def _sold_lines(currency):
    return OrderLine.objects.filter(order__status__in=SOLD, order__currency=currency)


def _totals(queryset):
    return queryset.annotate(
        units=Sum("quantity"), revenue=Sum(F("quantity") * F("unit_price_pence"))
    )


@uses_personal_data("statistics", categories=["transaction"])
def sales_currencies() -> list[str]:
    """The currencies anything was sold in, in the order of offtek.money.CURRENCIES."""
    sold = set(
        OrderLine.objects.filter(order__status__in=SOLD)
        .values_list("order__currency", flat=True)
        .distinct()
    )
    return [code for code in CURRENCIES if code in sold]


@uses_personal_data("statistics", categories=["transaction"])
def sales_by_month(*, currency: str) -> list[Bar]:
    """Units and revenue in `currency` per calendar month of the order, oldest first."""
    rows = _totals(
        _sold_lines(currency).annotate(month=TruncMonth("order__created_at")).values("month")
    ).order_by("month")
    return _bars(rows, lambda row: row["month"].strftime("%Y-%m"), currency)


@uses_personal_data("statistics", categories=["transaction"])
def sales_by_generation(*, currency: str) -> list[Bar]:
    """Units and revenue in `currency` per memory generation (DDR3, DDR4...)."""
    rows = _totals(_sold_lines(currency).values("module__generation")).order_by(
        "module__generation"
    )
    return _bars(rows, lambda row: row["module__generation"], currency)
