"""Account pages: the dashboard, the customer's details, language and security log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from privacy.accounts import dashboard, selectors, services
from privacy.accounts.forms import ProfileForm
from privacy.accounts.session_name import display_name_remember
from privacy.own_pages import own_page


@own_page
@login_required
def account_detail(request):
    return render(request, "privacy/account_detail.html", {"sections": dashboard.sections()})


@login_required
def profile_update(request):
    user = request.user
    initial = {"first_name": user.first_name, "last_name": user.last_name, "phone": user.phone}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = services.user_profile_update(
            user=request.user, request=request, **form.cleaned_data
        )
        display_name_remember(session=request.session, user=request.user)
        text = _("Your details are saved.") if changed else _("Nothing changed.")
        messages.success(request, text)
        return redirect("privacy:account-detail")
    return render(request, "privacy/profile_update.html", {"form": form})


@login_required
def security_log(request):
    events = selectors.security_events_for(user=request.user)[:100]
    return render(request, "privacy/security_log.html", {"events": events})
