"""Consent pages: the privacy and cookie pages, marketing preferences,
asking again after a policy change, and one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from privacy import policy
from privacy.consent import marketing, pages, selectors, services
from privacy.consent.forms import PreferencesForm, ReconsentForm
from privacy.middleware import RECONSENT_SESSION_KEY
from privacy.models import ConsentSource


def policy_detail(request):
    return render(request, "privacy/policy_detail.html", pages.policy_page())


def cookies_detail(request):
    return render(request, "privacy/cookies_detail.html", pages.cookies_page(request))


def _safe_next(request, candidate, fallback):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@login_required
def preferences_update(request):
    current = selectors.consents_current(user=request.user)
    initial = {
        key: selectors.consent_is_granted(user=request.user, purpose=key, current=current)
        for key in policy.MARKETING_PURPOSES
    }
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, initial_consents=initial
    )
    if request.method == "POST" and form.is_valid():
        written = services.consents_record(
            user=request.user, choices=form.consent_choices(), source=ConsentSource.DASHBOARD
        )
        if written:
            messages.success(request, _("Your marketing preferences are saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("privacy:preferences")
    history = selectors.consent_history(user=request.user)[:50]
    return render(request, "privacy/preferences_update.html", {"form": form, "history": history})


@login_required
def reconsent_update(request):
    purposes = selectors.consents_to_confirm(user=request.user)
    next_url = _safe_next(request, request.GET.get("next"), reverse("privacy:account-detail"))
    if not purposes:
        request.session.pop(RECONSENT_SESSION_KEY, None)
        return redirect(next_url)
    form = ReconsentForm(request.POST if request.method == "POST" else None, purposes=purposes)
    if request.method == "POST" and form.is_valid():
        services.consents_record(
            user=request.user, choices=form.consent_choices(), source=ConsentSource.RECONSENT
        )
        request.session.pop(RECONSENT_SESSION_KEY, None)
        messages.success(request, _("Thank you: your choices are saved."))
        return redirect(next_url)
    version = policy.version_current()
    return render(request, "privacy/reconsent_update.html", {"form": form, "version": version})


@csrf_exempt  # token-authenticated; RFC 8058 one-click POSTs come from mail clients
def unsubscribe(request, token):
    if request.method == "POST":
        outcome = marketing.unsubscribe_apply(token=token)
        status = 400 if outcome == marketing.UnsubscribeOutcome.INVALID else 200
        return render(request, "privacy/unsubscribe.html", {"outcome": outcome}, status=status)
    valid = marketing.unsubscribe_check(token=token) is not None
    context = {"outcome": None if valid else marketing.UnsubscribeOutcome.INVALID}
    return render(request, "privacy/unsubscribe.html", context, status=200 if valid else 400)
