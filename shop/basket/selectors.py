"""Basket reads: the lines with the catalog's current prices in the shopper's market.
A basket holds no price and no currency: shown in another market, it is re-priced
from that market's own price list."""

from dataclasses import dataclass, field

from offtek.money import Money
from shop.basket.services import SESSION_KEY as BASKET_SESSION_KEY
from shop.markets.rules import Market
from shop.models import Basket, BasketLine


@dataclass
class PricedLine:
    line: BasketLine
    unit_price: Money
    total: Money
    in_stock: bool


@dataclass
class BasketSummary:
    market: Market
    lines: list[PricedLine] = field(default_factory=list)
    subtotal: Money | None = None
    item_count: int = 0

    def __post_init__(self):
        if self.subtotal is None:
            self.subtotal = self.market.zero()

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def can_check_out(self) -> bool:
        return bool(self.lines) and all(p.in_stock for p in self.lines)


def basket_summary(*, basket: Basket | None, market: Market) -> BasketSummary:
    """Prices come from `market`'s price list now, never from what the shopper saw
    earlier. One query, whatever the number of lines."""
    if basket is None:
        return BasketSummary(market=market)
    return _summary(basket.lines.select_related("module"), market)


def basket_summary_for(*, user, session, market: Market) -> BasketSummary:
    """The summary of the shopper's basket (the one `basket_get` finds) in one query,
    the lines with their modules, without loading the basket's own row."""
    if user.is_authenticated:
        lines = BasketLine.objects.filter(basket__user=user)
    else:
        basket_id = session.get(BASKET_SESSION_KEY)
        if basket_id is None:
            return BasketSummary(market=market)
        lines = BasketLine.objects.filter(basket_id=basket_id, basket__user__isnull=True)
    return _summary(lines.select_related("module"), market)


def _summary(lines, market: Market) -> BasketSummary:
    summary = BasketSummary(market=market)
    for line in lines:
        unit = market.price_of(line.module)
        summary.lines.append(
            PricedLine(
                line=line,
                unit_price=unit,
                total=unit * line.quantity,
                in_stock=line.module.is_active and line.quantity <= line.module.stock,
            )
        )
        summary.subtotal += unit * line.quantity
        summary.item_count += line.quantity
    return summary
