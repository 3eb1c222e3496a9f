"""Writes to the catalog: staff's price changes and stock counts, and the one bulk
writer every stock change goes through (orders placed, released, reserved again), so
that each retires the cached catalog pages."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from shop.catalog.cache import catalog_version_bump
from shop.markets.rules import MARKETS
from shop.models import CatalogSource, Module, System

MIN_PERCENT = Decimal("-90")
MAX_PERCENT = Decimal("100")


class CatalogChangeRefused(ValueError):
    """A catalog change that would break a rule (negative stock, a price of nothing)."""


def modules_update(*, modules: list[Module], fields: list[str], reason: str, user=None) -> None:
    """Save `fields` of `modules` in one query, with history, and retire the cached
    catalog pages once the transaction commits. Every bulk write to modules (stock
    above all) goes through here: bulk_update sends no signal to do it for us."""
    bulk_update_with_history(
        modules, Module, fields, default_user=user, default_change_reason=reason
    )
    catalog_version_bump()


@transaction.atomic
def modules_reprice(*, modules, percent: Decimal, user=None) -> int:
    """Change the price of `modules` by `percent` (10 = 10% dearer, -10 = 10% cheaper)
    in every market's price list, each rounded to its own minor unit (penny, cent) and
    never below one. Returns how many modules changed."""
    percent = Decimal(percent)
    if not MIN_PERCENT <= percent <= MAX_PERCENT:
        raise CatalogChangeRefused(f"{percent}% is outside {MIN_PERCENT}% to {MAX_PERCENT}%.")
    rows = list(Module.objects.select_for_update().filter(pk__in=[m.pk for m in modules]))
    factor = (Decimal(100) + percent) / Decimal(100)
    price_fields = [market.price_field for market in MARKETS.values()]
    for module in rows:
        for field in price_fields:
            new_price = (Decimal(getattr(module, field)) * factor).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            )
            setattr(module, field, max(int(new_price), 1))
    modules_update(modules=rows, fields=price_fields, reason=f"price {percent:+}%", user=user)
    return len(rows)


@transaction.atomic
def modules_stock_set(*, modules, stock: int, user=None) -> int:
    """Set the stock of `modules` to `stock` (a count from the shelf)."""
    if stock < 0:
        raise CatalogChangeRefused("Stock cannot be negative.")
    rows = list(Module.objects.select_for_update().filter(pk__in=[m.pk for m in modules]))
    for module in rows:
        module.stock = stock
    modules_update(modules=rows, fields=["stock"], reason=f"stock set to {stock}", user=user)
    return len(rows)


@transaction.atomic
def catalog_source_set(*, is_demo: bool) -> CatalogSource:
    """Record whether the catalog is the generated demo data (a banner says so on every
    catalog page while it is). Saving retires the cached pages."""
    source, _created = CatalogSource.objects.select_for_update().get_or_create(pk=1)
    if source.is_demo != is_demo or _created:
        source.is_demo = is_demo
        source.save()
    return source


@transaction.atomic
def demo_data_remove() -> int:
    """End the demo: every demo module goes off sale (kept, so past orders still name
    it) and the made-up systems are deleted. Returns the modules taken off sale."""
    count = Module.objects.filter(is_demo=True, is_active=True).update(is_active=False)
    System.objects.filter(is_demo=True).delete()
    catalog_source_set(is_demo=False)
    catalog_version_bump()
    return count
