from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from shop.fulfilment.dispatch import tracking_url
from shop.fulfilment.warranty.forms import WarrantyClaimForm
from shop.fulfilment.warranty.services import line_claim_refusal
from shop.orders.selectors import orders_for


@login_required
def order_list(request):
    orders = orders_for(user=request.user).only(
        "number", "status", "total_pence", "created_at", "currency"
    )
    return render(request, "shop/order_list.html", {"orders": orders})


def order_detail_context(*, user, number: str, bound_form=None, bound_line_id=None) -> dict:
    order = orders_for(user=user).filter(number=number).first()
    if order is None:
        raise Http404
    lines = list(order.lines.select_related("order").prefetch_related("warranty_claims"))
    claimable = [line for line in lines if not line_claim_refusal(line=line, user=user)]
    return {
        "order": order,
        "lines": lines,
        "payments": order.payments.all(),
        "tracking_url": tracking_url(order),
        "claims": [claim for line in lines for claim in line.warranty_claims.all()],
        "claim_rows": [
            (
                line,
                bound_form
                if line.pk == bound_line_id
                else WarrantyClaimForm(auto_id=f"line{line.pk}_%s"),
            )
            for line in claimable
        ],
    }


@login_required
def order_detail(request, number: str):
    return render(
        request, "shop/order_detail.html", order_detail_context(user=request.user, number=number)
    )
