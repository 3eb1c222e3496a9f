"""Global Privacy Control (``Sec-GPC: 1``) for signed-in customers.

The first time a customer's browser sends the signal while they are signed in, the
consents it covers (``policy.GPC_WITHDRAWS``) that are granted are withdrawn in the
consent ledger, with the GPC source, and the moment is kept on the account. That
happens once: a choice the customer makes on the site afterwards stands. (The site
sets no optional cookie, so for cookies there is nothing for GPC to refuse.)"""

from django.db import transaction
from django.utils import timezone

from privacy import policy
from privacy.consent.cookies import gpc_signal
from privacy.consent.selectors import consents_current
from privacy.consent.services import consents_record
from privacy.models import ConsentRecord, ConsentSource, User

SESSION_KEY = "privacy_gpc_honoured"


@transaction.atomic
def consent_gpc_honour(*, user: User) -> list[ConsentRecord]:
    """Withdraw the customer's GPC-covered consents, once in the account's life.
    Returns the ledger rows written (none on every call after the first)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.gpc_honoured_at is not None:
        return []
    current = consents_current(user=locked)
    granted = [key for key in policy.GPC_WITHDRAWS if key in current and current[key].granted]
    written = consents_record(
        user=locked, choices=dict.fromkeys(granted, False), source=ConsentSource.GPC
    )
    locked.gpc_honoured_at = timezone.now()
    locked._change_reason = "Global Privacy Control signal"
    locked.save(update_fields=["gpc_honoured_at"])
    user.gpc_honoured_at = locked.gpc_honoured_at
    return written


class GlobalPrivacyControlMiddleware:
    """Honours the GPC signal of a signed-in customer, once per session at most (the
    service itself acts once per account)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            gpc_signal(request)
            and session is not None
            and not session.get(SESSION_KEY)
            and request.user.is_authenticated
        ):
            consent_gpc_honour(user=request.user)
            session[SESSION_KEY] = True
        return self.get_response(request)
