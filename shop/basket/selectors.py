"""Basket reads: the lines with the catalog's current prices."""

from dataclasses import dataclass, field

from shop.basket.services import SESSION_KEY as BASKET_SESSION_KEY
from shop.models import Basket, BasketLine


@dataclass
class PricedLine:
    line: BasketLine
    unit_price_pence: int
    total_pence: int
    in_stock: bool


@dataclass
class BasketSummary:
    lines: list[PricedLine] = field(default_factory=list)
    subtotal_pence: int = 0
    item_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def can_check_out(self) -> bool:
        return bool(self.lines) and all(p.in_stock for p in self.lines)


def basket_summary(*, basket: Basket | None) -> BasketSummary:
    """Prices come from the catalog now, never from what the shopper saw earlier.
    One query, whatever the number of lines."""
    if basket is None:
        return BasketSummary()
    return _summary(basket.lines.select_related("module"))


def basket_summary_for(*, user, session) -> BasketSummary:
    """The summary of the shopper's basket (the one `basket_get` finds) in one query,
    the lines with their modules, without loading the basket's own row."""
    if user.is_authenticated:
        lines = BasketLine.objects.filter(basket__user=user)
    else:
        basket_id = session.get(BASKET_SESSION_KEY)
        if basket_id is None:
            return BasketSummary()
        lines = BasketLine.objects.filter(basket_id=basket_id, basket__user__isnull=True)
    return _summary(lines.select_related("module"))


def _summary(lines) -> BasketSummary:
    summary = BasketSummary()
    for line in lines:
        unit = line.module.price_pence
        summary.lines.append(
            PricedLine(
                line=line,
                unit_price_pence=unit,
                total_pence=unit * line.quantity,
                in_stock=line.module.is_active and line.quantity <= line.module.stock,
            )
        )
        summary.subtotal_pence += unit * line.quantity
        summary.item_count += line.quantity
    return summary
