"""The customer's rights: export, closure with receipt, and the Privacy Officer
contact form. Each view parses, calls one service, renders."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from privacy import policy, registry
from privacy.accounts import dashboard
from privacy.accounts.services import request_client
from privacy.disclosures import disclosure_labels, disclosures_for
from privacy.models import ErasureReceipt
from privacy.rights import erasure, export, receipts
from privacy.rights import requests as privacy_requests
from privacy.rights.export_page import export_page_sections
from privacy.rights.forms import AccountCloseForm, ContactForm

RECEIPT_SESSION_KEY = "privacy_erasure_receipt"


def _export_or_refuse(request, *, downloaded):
    try:
        return export.export_build(user=request.user, request=request, downloaded=downloaded)
    except export.ExportRefused:
        return None


@login_required
def export_detail(request):
    document = _export_or_refuse(request, downloaded=False)
    if document is None:
        messages.error(request, _("Your account is being closed: there is nothing to export."))
        return redirect(dashboard.home_url())
    sections = export_page_sections(document)
    return render(request, "privacy/export_detail.html", {"sections": sections})


@login_required
def export_download(request):
    document = _export_or_refuse(request, downloaded=True)
    if document is None:
        messages.error(request, _("Your account is being closed: there is nothing to export."))
        return redirect(dashboard.home_url())
    response = HttpResponse(export.export_json(document), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="offtek-my-data.json"'
    return response


def _signed_out(request):
    """End the session of an account that no longer exists (Django's logout() would
    log a sign-out against the erased user)."""
    request.session.flush()
    request.user = AnonymousUser()


def _options_for(user):
    return [option for option in registry.closure_options() if option.rows_for(user).exists()]


@login_required
@reauthentication_required
def account_close(request):
    form = AccountCloseForm(request.POST or None, options=_options_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            result = erasure.account_close(user=request.user, keep=form.kept(), request=request)
        except erasure.AccountAlreadyClosed:
            _signed_out(request)
            messages.info(request, _("This account is already closed: nothing more was done."))
            return redirect(dashboard.home_url())
        _signed_out(request)
        request.session[RECEIPT_SESSION_KEY] = {"id": result.receipt.pk, "code": result.code}
        return redirect("privacy:account-closed")
    return render(request, "privacy/account_close.html", {"form": form})


def account_closed(request):
    stored = request.session.get(RECEIPT_SESSION_KEY)
    receipt = ErasureReceipt.objects.filter(pk=stored["id"]).first() if stored else None
    if receipt is None:
        return redirect(dashboard.home_url())
    lines = receipts.receipt_lines(receipt=receipt)
    # Shown once: the code leaves the session (stored in clear) as soon as it is shown.
    code = stored.get("code", "")
    if code:
        request.session[RECEIPT_SESSION_KEY] = {"id": receipt.pk}
    context = {"receipt": receipt, "code": code, "lines": lines}
    return render(request, "privacy/account_closed.html", context)


def contact(request):
    form = ContactForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy_request = privacy_requests.privacy_request_submit(
                kind=form.cleaned_data["kind"],
                email=form.cleaned_data.get("email", ""),
                name=form.cleaned_data["name"],
                message=form.cleaned_data["message"],
                language=get_language() or "en",
                user=request.user,
                ip=request_client(request)[0],
            )
        except privacy_requests.RequestRateLimited:
            messages.error(
                request, _("Too many requests from you in a short time. Please try again later.")
            )
            context = {"form": form, "complaints": policy.COMPLAINTS}
            return render(request, "privacy/contact.html", context, status=429)
        return render(request, "privacy/contact_sent.html", {"privacy_request": privacy_request})
    return render(request, "privacy/contact.html", {"form": form, "complaints": policy.COMPLAINTS})


def contact_verify(request, token):
    try:
        privacy_request, fresh = privacy_requests.privacy_request_verify(token=token)
    except privacy_requests.RequestTokenInvalid:
        messages.error(request, _("This confirmation link is not valid or has expired."))
        return redirect("privacy:contact")
    if not fresh:
        messages.info(request, _("This request was already confirmed: nothing changed."))
    context = {"privacy_request": privacy_request, "verified": True}
    return render(request, "privacy/contact_sent.html", context)


@login_required
def disclosure_list(request):
    """Who received the customer's data, when, why and what (the disclosure ledger)."""
    rows = disclosures_for(user=request.user)[:200]
    disclosures = [{"row": row, **disclosure_labels(row)} for row in rows]
    return render(request, "privacy/disclosure_list.html", {"disclosures": disclosures})
