"""Fulfilment on the web: a courier's signed delivery update (no language prefix), and
fulfilment's part of the customer's order page (tracking link, warranty claims)."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop.fulfilment.courier import CourierUpdateRefused, courier_update_receive
from shop.fulfilment.dispatch import tracking_url
from shop.fulfilment.warranty.forms import WarrantyClaimForm
from shop.fulfilment.warranty.services import line_claim_refusal
from shop.orders.views import order_page_part


@order_page_part
def order_page_fulfilment(*, order, lines, user, bound_form, bound_line_id) -> dict:
    """The tracking link, the claims made, and a claim form for each claimable line
    (the bound one, with its errors, when a claim was just refused)."""
    claimable = [line for line in lines if not line_claim_refusal(line=line, user=user)]
    return {
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


@csrf_exempt
@require_POST
def courier_update(request):
    """A courier's signed delivery update (see shop.fulfilment.courier)."""
    try:
        order = courier_update_receive(
            body=request.body, header=request.headers.get("X-Offtek-Signature", "")
        )
    except CourierUpdateRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=refusal.status)
    return JsonResponse({"order": order.number, "status": order.status})
