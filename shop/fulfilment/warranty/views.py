from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.fulfilment.warranty.forms import WarrantyClaimForm
from shop.fulfilment.warranty.services import ClaimRefused, claim_open
from shop.models import OrderLine
from shop.orders.views import order_detail_context


def claim_open_from_form(request, *, line, form, user, former: bool = False) -> None:
    """Open the claim a valid WarrantyClaimForm describes, and tell the customer how it
    went (a refusal says why)."""
    try:
        claim = claim_open(
            user=user,
            line=line,
            reason=form.cleaned_data["reason"],
            symptoms=form.cleaned_data["symptoms"],
            former=former,
        )
    except ClaimRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Your claim %(number)s is open. We will e-mail you about each step.")
            % {"number": claim.number},
        )


@login_required
@require_POST
def warranty_claim_open(request, number: str, line_id: int):
    line = get_object_or_404(
        OrderLine.objects.select_related("order"),
        pk=line_id,
        order__number=number,
        order__user=request.user,
    )
    form = WarrantyClaimForm(request.POST, auto_id=f"line{line.pk}_%s")
    if form.is_valid():
        claim_open_from_form(request, line=line, form=form, user=request.user)
        return redirect("shop:order-detail", number=number)
    context = order_detail_context(
        user=request.user, number=number, bound_form=form, bound_line_id=line.pk
    )
    return render(request, "shop/order_detail.html", context, status=400)
