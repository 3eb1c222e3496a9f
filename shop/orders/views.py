from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from shop.orders.selectors import orders_for


@login_required
def order_list(request):
    orders = orders_for(user=request.user).only(
        "number", "status", "total_pence", "created_at", "currency"
    )
    return render(request, "shop/order_list.html", {"orders": orders})


@login_required
def order_detail(request, number: str):
    order = get_object_or_404(orders_for(user=request.user), number=number)
    return render(
        request,
        "shop/order_detail.html",
        {"order": order, "lines": order.lines.all(), "payments": order.payments.all()},
    )
