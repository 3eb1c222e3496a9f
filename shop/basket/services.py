"""Basket writes: add, change, remove, merge at login. Quantities are checked
against stock; prices are never stored in the basket."""

from django.db import transaction
from django.utils.translation import gettext as _

from shop.models import Basket, BasketLine, Module
from shop.orders.reservations import reservations_release_expired_on

SESSION_KEY = "basket_id"
MAX_LINE_QUANTITY = 50


class BasketError(Exception):
    """A change the basket refuses, with a message for the shopper."""


class BasketLineMissing(BasketError):
    """The line is not in this basket (another basket's, or gone)."""


def _check_quantity(*, module: Module, quantity: int) -> None:
    if quantity < 1 or quantity > MAX_LINE_QUANTITY:
        raise BasketError(
            _("Choose a quantity between 1 and %(max)d.") % {"max": MAX_LINE_QUANTITY}
        )
    if quantity > module.stock and reservations_release_expired_on(module_ids=[module.pk]):
        module.refresh_from_db(fields=["stock"])  # expired holds gave stock back
    if quantity > module.stock:
        raise BasketError(
            _("Only %(stock)d of %(module)s in stock.") % {"stock": module.stock, "module": module}
        )


def basket_get(*, user, session) -> Basket | None:
    """The shopper's basket, if they have one."""
    if user.is_authenticated:
        return Basket.objects.filter(user=user).first()
    basket_id = session.get(SESSION_KEY)
    if basket_id is None:
        return None
    return Basket.objects.filter(pk=basket_id, user__isnull=True).first()


@transaction.atomic
def basket_get_or_create(*, user, session) -> Basket:
    basket = basket_get(user=user, session=session)
    if basket is not None:
        return basket
    if user.is_authenticated:
        basket, _created = Basket.objects.get_or_create(user=user)
        return basket
    basket = Basket.objects.create()
    session[SESSION_KEY] = basket.pk
    return basket


@transaction.atomic
def basket_line_add(*, basket: Basket, module_id: int, quantity: int) -> BasketLine:
    """Add `quantity` of a module, on top of what the basket already holds.

    Locks the basket row first: two adds of the same module at once (a double click)
    then add up in one line instead of both inserting it."""
    Basket.objects.select_for_update().filter(pk=basket.pk).first()
    module = Module.objects.filter(pk=module_id, is_active=True).first()
    if module is None:
        raise BasketError(_("This module is not on sale."))
    line = BasketLine.objects.select_for_update().filter(basket=basket, module=module).first()
    current = line.quantity if line else 0
    _check_quantity(module=module, quantity=current + quantity)
    if line is None:
        return BasketLine.objects.create(basket=basket, module=module, quantity=quantity)
    line.quantity = current + quantity
    line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def basket_line_quantity_set(*, basket: Basket, line_id: int, quantity: int) -> None:
    """Set a line's quantity; 0 removes it. Lines of other baskets are not found."""
    line = (
        BasketLine.objects.select_for_update()
        .select_related("module")
        .filter(basket=basket, pk=line_id)
        .first()
    )
    if line is None:
        raise BasketLineMissing(_("This line is not in your basket."))
    if quantity == 0:
        line.delete()
        return
    _check_quantity(module=line.module, quantity=quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])


@transaction.atomic
def basket_line_remove(*, basket: Basket, line_id: int) -> None:
    deleted, _rows = BasketLine.objects.filter(basket=basket, pk=line_id).delete()
    if not deleted:
        raise BasketLineMissing(_("This line is not in your basket."))


@transaction.atomic
def basket_merge_at_login(*, user, session) -> Basket | None:
    """Move the anonymous session basket into the customer's basket. Quantities add
    up, capped at what is in stock."""
    basket_id = session.pop(SESSION_KEY, None)
    if basket_id is None:
        return None
    source = Basket.objects.filter(pk=basket_id, user__isnull=True).first()
    if source is None:
        return None
    target, _created = Basket.objects.get_or_create(user=user)
    existing = {line.module_id: line for line in target.lines.select_for_update()}
    for line in source.lines.select_related("module"):
        cap = min(line.module.stock, MAX_LINE_QUANTITY)
        if line.module_id in existing:
            kept = existing[line.module_id]
            kept.quantity = max(1, min(kept.quantity + line.quantity, cap))
            kept.save(update_fields=["quantity"])
        elif cap >= 1 and line.module.is_active:
            BasketLine.objects.create(
                basket=target, module=line.module, quantity=min(line.quantity, cap)
            )
    source.delete()
    return target


@transaction.atomic
def basket_refill_from_order(*, basket: Basket, order) -> int:
    """Put a cancelled order's modules back into the basket, as far as stock allows.
    Returns how many lines were added or topped up."""
    refilled = 0
    for line in order.lines.select_related("module"):
        try:
            basket_line_add(basket=basket, module_id=line.module_id, quantity=line.quantity)
        except BasketError:
            continue
        refilled += 1
    return refilled
