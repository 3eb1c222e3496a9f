"""Pages for a former customer's kept lifetime warranty (see shop.warranty.kept)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from privacy.accounts.services import request_client
from shop.fulfilment.warranty.forms import (
    KeptWarrantyDeleteForm,
    KeptWarrantyFindForm,
    WarrantyClaimForm,
)
from shop.fulfilment.warranty.kept import (
    KeptWarrantyLinkRefused,
    KeptWarrantyRateLimited,
    kept_order_from_link,
    kept_warranty_delete,
    kept_warranty_link_send,
)
from shop.fulfilment.warranty.services import line_claim_refusal
from shop.fulfilment.warranty.views import claim_open_from_form


def kept_warranty(request):
    form = KeptWarrantyFindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            kept_warranty_link_send(
                number=form.cleaned_data["number"],
                email=form.cleaned_data["email"],
                language=get_language() or "en",
                ip=request_client(request)[0],
            )
        except KeptWarrantyRateLimited:
            form.add_error(
                None,
                _(
                    "Too many links were asked for from here or for this address. Please "
                    "try again in an hour."
                ),
            )
            return render(request, "shop/kept_warranty_find.html", {"form": form}, status=429)
        return render(request, "shop/kept_warranty_sent.html")
    return render(request, "shop/kept_warranty_find.html", {"form": form})


def _detail_context(order, *, claim_form=None, claim_line_id=None, delete_form=None):
    lines = []
    for line in order.lines.filter(warranty_years__isnull=True):
        refusal = line_claim_refusal(line=line, user=None, former=True)
        bound = claim_form if claim_line_id == line.pk else None
        form = None if refusal else bound or WarrantyClaimForm(auto_id=f"line{line.pk}_%s")
        lines.append({"line": line, "form": form, "refusal": refusal})
    return {
        "order": order,
        "lines": lines,
        "claims": order_claims(order),
        "delete_form": delete_form or KeptWarrantyDeleteForm(),
    }


def order_claims(order):
    from shop.models import WarrantyClaim

    return WarrantyClaim.objects.filter(line__order=order).select_related("line")


def kept_warranty_detail(request, token: str):
    try:
        order = kept_order_from_link(token=token, session=request.session)
    except KeptWarrantyLinkRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("shop:kept-warranty")
    if request.method == "POST" and "delete" in request.POST:
        form = KeptWarrantyDeleteForm(request.POST)
        if form.is_valid():
            kept_warranty_delete(order=order)
            return render(request, "shop/kept_warranty_deleted.html")
        context = _detail_context(order, delete_form=form)
        return render(request, "shop/kept_warranty_detail.html", context, status=400)
    if request.method == "POST":
        line = get_object_or_404(
            order.lines.filter(warranty_years__isnull=True), pk=request.POST.get("line")
        )
        form = WarrantyClaimForm(request.POST, auto_id=f"line{line.pk}_%s")
        if form.is_valid():
            claim_open_from_form(request, line=line, form=form, user=None, former=True)
            return redirect("shop:kept-warranty-detail", token=token)
        context = _detail_context(order, claim_form=form, claim_line_id=line.pk)
        return render(request, "shop/kept_warranty_detail.html", context, status=400)
    return render(request, "shop/kept_warranty_detail.html", _detail_context(order))
