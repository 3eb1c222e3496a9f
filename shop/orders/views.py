"""The customer's order pages. Other parts of the shop add their own part of an
order's page through `order_page_part` (fulfilment adds the tracking link and the
warranty claim forms), so orders never imports them."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render

from privacy.encryption import encrypted_field_names
from shop.customer_pages.store import customer_page
from shop.models import OrderLine, Payment
from shop.orders.selectors import orders_for

# Each part is called with order=, lines=, user=, bound_form=, bound_line_id= and
# returns what it adds to the page's context.
ORDER_PAGE_PARTS: list[Callable[..., dict]] = []


def order_page_part(part: Callable[..., dict]) -> Callable[..., dict]:
    """Add `part` to every order page (a decorator; adding twice adds once)."""
    if part not in ORDER_PAGE_PARTS:
        ORDER_PAGE_PARTS.append(part)
    return part


@customer_page
@login_required
def order_list(request):
    orders = orders_for(user=request.user).only(
        "number", "status", "total_pence", "created_at", "currency"
    )
    return render(request, "shop/order_list.html", {"orders": orders})


def order_detail_context(*, user, number: str, bound_form=None, bound_line_id=None) -> dict:
    # The lines (with their claims) and payments loaded once: the page's parts and its
    # order summary (`order.lines.all`) all read these.
    lines_with_claims = Prefetch("lines", OrderLine.objects.prefetch_related("warranty_claims"))
    # The page shows a payment's card type and last digits, not the card checks.
    unshown = set(encrypted_field_names(Payment)) - {"card_brand", "card_last4"}
    payments_shown = Payment.objects.defer(*unshown)
    order = (
        orders_for(user=user)
        .filter(number=number)
        .prefetch_related(lines_with_claims, Prefetch("payments", payments_shown))
        .first()
    )
    if order is None:
        raise Http404
    lines = list(order.lines.all())
    context = {"order": order, "lines": lines, "payments": order.payments.all()}
    for part in ORDER_PAGE_PARTS:
        context.update(
            part(
                order=order,
                lines=lines,
                user=user,
                bound_form=bound_form,
                bound_line_id=bound_line_id,
            )
        )
    return context


@customer_page
@login_required
def order_detail(request, number: str):
    return render(
        request, "shop/order_detail.html", order_detail_context(user=request.user, number=number)
    )
