from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from privacy import services


@require_POST
def language_set(request):
    """Django's language switch, which also remembers the choice on the account."""
    response = set_language(request)
    if request.user.is_authenticated:
        services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


@login_required
def account_detail(request):
    return render(request, "privacy/account_detail.html")
