from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.basket.forms import BasketAddByPartNumberForm, BasketAddForm, BasketLineForm
from shop.basket.header import basket_count_remember
from shop.basket.selectors import basket_summary_for
from shop.basket.services import (
    BasketError,
    BasketLineMissing,
    basket_get,
    basket_get_or_create,
    basket_line_add,
    basket_line_quantity_set,
    basket_line_remove,
)
from shop.catalog.selectors import module_id_for_part_number
from shop.customer_pages.store import customer_page
from shop.markets.selectors import market_for_request
from shop.orders.reservations import orders_ran_out_since


def _errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@customer_page
def basket_detail(request):
    summary = basket_summary_for(
        user=request.user, session=request.session, market=market_for_request(request)
    )
    basket_count_remember(session=request.session, count=summary.item_count)
    return render(
        request,
        "shop/basket_detail.html",
        {
            "summary": summary,
            "add_form": BasketAddByPartNumberForm(),
            "ran_out": reservations_ran_out(request.user),
            "reservation_minutes": settings.SHOP_RESERVATION_MINUTES,
        },
    )


def reservations_ran_out(user) -> list:
    """The customer's orders whose reservation ran out in the last day."""
    if not user.is_authenticated:
        return []
    return orders_ran_out_since(user=user, since=timezone.now() - timedelta(days=1))


@require_POST
def basket_add(request):
    form = BasketAddForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("shop:basket-detail")
    try:
        basket = basket_get_or_create(user=request.user, session=request.session)
        line = basket_line_add(
            basket=basket,
            module_id=form.cleaned_data["module"],
            quantity=form.cleaned_data["quantity"],
        )
    except BasketError as error:
        messages.error(request, str(error))
    else:
        basket_count_remember(session=request.session, basket=basket)
        messages.success(request, _("%(module)s is in your basket.") % {"module": line.module})
    return redirect("shop:basket-detail")


@require_POST
def basket_add_by_part_number(request):
    form = BasketAddByPartNumberForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("shop:basket-detail")
    module_id = module_id_for_part_number(form.cleaned_data["part_number"])
    if module_id is None:
        messages.error(request, _("No module has this part number."))
        return redirect("shop:basket-detail")
    try:
        basket = basket_get_or_create(user=request.user, session=request.session)
        line = basket_line_add(
            basket=basket, module_id=module_id, quantity=form.cleaned_data["quantity"]
        )
    except BasketError as error:
        messages.error(request, str(error))
    else:
        basket_count_remember(session=request.session, basket=basket)
        messages.success(request, _("%(module)s is in your basket.") % {"module": line.module})
    return redirect("shop:basket-detail")


@require_POST
def basket_line_update(request, line_id: int):
    form = BasketLineForm(request.POST)
    basket = basket_get(user=request.user, session=request.session)
    if not form.is_valid():
        _errors(request, form)
        return redirect("shop:basket-detail")
    try:
        if basket is None:
            raise BasketLineMissing(_("This line is not in your basket."))
        basket_line_quantity_set(
            basket=basket, line_id=line_id, quantity=form.cleaned_data["quantity"]
        )
    except BasketLineMissing as error:
        raise Http404 from error  # another basket's line: the same answer as no line
    except BasketError as error:
        messages.error(request, str(error))
    else:
        basket_count_remember(session=request.session, basket=basket)
        messages.success(request, _("Your basket was updated."))
    return redirect("shop:basket-detail")


@require_POST
def basket_line_delete(request, line_id: int):
    basket = basket_get(user=request.user, session=request.session)
    try:
        if basket is None:
            raise BasketLineMissing(_("This line is not in your basket."))
        basket_line_remove(basket=basket, line_id=line_id)
    except BasketLineMissing as error:
        raise Http404 from error
    else:
        basket_count_remember(session=request.session, basket=basket)
        messages.success(request, _("The module was removed from your basket."))
    return redirect("shop:basket-detail")
