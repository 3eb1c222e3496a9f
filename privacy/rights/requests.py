"""Requests to the Privacy Officer: submission, e-mail verification, deadlines.

A request counts from the moment we know the e-mail address is the sender's: at once
for a signed-in customer, after the signed link for anyone else. It is due one month
after that, extendable once by two months with a recorded reason (UK GDPR art. 12(3)).
Submissions are rate-limited per IP address and per e-mail address in the shared cache.
"""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from privacy.calendar import months_after
from privacy.consent.purposes import uses_personal_data
from privacy.emails import email_send
from privacy.lifecycle import IllegalTransition, Lifecycle, lifecycle_move
from privacy.models import PrivacyRequest, PrivacyRequestStatus, User
from privacy.rate_limits import rate_limit_hit

VERIFY_SALT = "privacy.request-verify"
VERIFY_MAX_AGE = 7 * 24 * 3600
# At most this many requests per window, per IP address and per e-mail address.
RATE_LIMITS = {"ip": (5, 3600), "email": (3, 3600)}


class RequestRateLimited(Exception):
    pass


class RequestTokenInvalid(Exception):
    pass


class RequestExtensionRefused(Exception):
    """The deadline may not be extended; the message says why, in the reader's language."""


class RequestAnswerRefused(Exception):
    """The request may not be answered (not confirmed yet, or closed)."""


S = PrivacyRequestStatus
# The request's moves as data. A request is created UNVERIFIED (or OPEN when the sender
# is signed in); every later change of status goes through lifecycle_move.
PRIVACY_REQUEST_LIFECYCLE = Lifecycle(
    moves={
        S.UNVERIFIED: frozenset({S.OPEN, S.CLOSED}),
        S.OPEN: frozenset({S.ANSWERED, S.CLOSED}),
        S.ANSWERED: frozenset({S.CLOSED}),
        S.CLOSED: frozenset(),
    },
    stamps={S.OPEN: "received_at", S.CLOSED: "closed_at"},
)


def email_digest(email: str) -> str:
    return salted_hmac(
        "privacy.request-email", email.strip().lower(), algorithm="sha256"
    ).hexdigest()


DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


def _recent_duplicate(*, kind: str, email: str, message: str) -> PrivacyRequest | None:
    """The same request sent again within minutes (the message is encrypted, so the
    few recent candidates are compared in Python)."""
    recent = PrivacyRequest.objects.filter(
        email_digest=email_digest(email),
        kind=kind,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    )
    return next((row for row in recent if row.message == message), None)


def _reference_new() -> str:
    return f"PR-{timezone.now():%Y}-{secrets.token_hex(3).upper()}"


@uses_personal_data("customer-care", categories=["contact"])
def _acknowledge(privacy_request: PrivacyRequest) -> None:
    to = privacy_request.email  # read now, for this purpose: the callback runs outside it
    transaction.on_commit(
        lambda: email_send(
            to=to,
            user=privacy_request.user,
            template="privacy/emails/request_received",
            context={"privacy_request": privacy_request},
            language=privacy_request.language,
            purpose="customer-care",
        )
    )


def _due_date_from_today():
    return months_after(timezone.localdate(), 1)


@uses_personal_data("customer-care", categories=["contact", "identity", "correspondence"])
@transaction.atomic
def privacy_request_submit(
    *,
    kind: str,
    email: str,
    message: str,
    language: str,
    name: str = "",
    user: User | None = None,
    ip: str = "",
) -> PrivacyRequest:
    """Record a request. Signed in: it counts now and is acknowledged. Otherwise a
    signed link goes to ``email`` and the request counts once it is opened."""
    if user is not None and user.is_authenticated:
        email = user.email
    else:
        user = None
    duplicate = _recent_duplicate(kind=kind, email=email, message=message)
    if duplicate is not None:
        return duplicate  # a double click or a resubmitted form: the same request
    if rate_limit_hit(
        action="privacy-request", limits=RATE_LIMITS, values={"ip": ip, "email": email}
    ):
        raise RequestRateLimited
    privacy_request = PrivacyRequest(
        reference=_reference_new(),
        user=user,
        kind=kind,
        email=email,
        email_digest=email_digest(email),
        name=name,
        message=message,
        language=language,
    )
    if user is not None:  # the sender is known: the request counts from now
        privacy_request.status = PrivacyRequestStatus.OPEN
        privacy_request.received_at = timezone.now()
        privacy_request.due_date = _due_date_from_today()
        privacy_request.save()
        _acknowledge(privacy_request)
        return privacy_request
    privacy_request.save()
    token = signing.dumps(privacy_request.pk, salt=VERIFY_SALT)
    verify_url = settings.SITE_URL.rstrip("/") + reverse(
        "privacy:contact-verify", kwargs={"token": token}
    )
    transaction.on_commit(
        lambda: email_send(
            to=email,
            template="privacy/emails/request_verify",
            context={"verify_url": verify_url},
            language=language,
        )
    )
    return privacy_request


@transaction.atomic
def privacy_request_verify(*, token: str) -> tuple[PrivacyRequest, bool]:
    """Open the request behind a verification link. Returns (request, newly_verified);
    a second click changes nothing. A forged or expired token raises
    ``RequestTokenInvalid``."""
    try:
        pk = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature as error:
        raise RequestTokenInvalid from error
    privacy_request = PrivacyRequest.objects.filter(pk=pk).first()
    if privacy_request is None:
        raise RequestTokenInvalid
    try:
        fresh = lifecycle_move(
            lifecycle=PRIVACY_REQUEST_LIFECYCLE,
            row=privacy_request,
            to=PrivacyRequestStatus.OPEN,
            reason="e-mail address confirmed",
            before=_only_unverified,
            extra_fields={"due_date": _due_date_from_today()},
        )
    except (IllegalTransition, _AlreadyVerified):
        return privacy_request, False  # confirmed before, answered or closed since
    if fresh:
        _acknowledge(privacy_request)
    return privacy_request, fresh


class _AlreadyVerified(Exception):
    pass


def _only_unverified(locked: PrivacyRequest, from_status: str) -> None:
    if from_status != PrivacyRequestStatus.UNVERIFIED:
        raise _AlreadyVerified


def extension_refusal(*, privacy_request: PrivacyRequest, reason: str) -> str | None:
    """Why the deadline may not be extended with `reason` (None: it may)."""
    if not reason.strip():
        return _("An extension needs a reason.")
    if privacy_request.status != PrivacyRequestStatus.OPEN or privacy_request.due_date is None:
        return _("Only a confirmed, open request can have its deadline extended.")
    if privacy_request.extended_reason:
        return _("A deadline is extended only once.")
    return None


@transaction.atomic
def privacy_request_extend(*, privacy_request: PrivacyRequest, reason: str) -> PrivacyRequest:
    """Extend the deadline by two months, once, with the reason (told to the sender)."""
    locked = PrivacyRequest.objects.select_for_update().get(pk=privacy_request.pk)
    refusal = extension_refusal(privacy_request=locked, reason=reason)
    if refusal:
        raise RequestExtensionRefused(refusal)
    locked.due_date = months_after(locked.due_date, 2)
    locked.extended_reason = reason.strip()
    locked.save(update_fields=["due_date", "extended_reason"])
    return locked


def answer_refusal(*, privacy_request: PrivacyRequest) -> str | None:
    """Why a response may not be recorded on the request now (None: it may)."""
    status = privacy_request.status
    if status == PrivacyRequestStatus.ANSWERED:
        return None
    if not PRIVACY_REQUEST_LIFECYCLE.allows(status, PrivacyRequestStatus.ANSWERED):
        return _("Only a confirmed request that is not closed can be answered.")
    return None


@uses_personal_data("customer-care", categories=["correspondence"])
@transaction.atomic
def privacy_request_staff_update(
    *,
    privacy_request: PrivacyRequest,
    assigned_to=None,
    notes: str = "",
    response: str = "",
    extension_reason: str = "",
) -> PrivacyRequest:
    """What the Privacy Officer changes on a request from the admin, in one transaction:
    who handles it, notes, the response (which makes it answered) and, when a reason is
    given for the first time, the two-month extension. A refusal changes nothing."""
    locked = PrivacyRequest.objects.select_for_update().get(pk=privacy_request.pk)
    answering = bool(response.strip()) and response != locked.response
    if answering:
        refusal = answer_refusal(privacy_request=locked)
        if refusal:
            raise RequestAnswerRefused(refusal)
    locked.assigned_to, locked.notes, locked.response = assigned_to, notes, response
    locked.save(update_fields=["assigned_to", "notes", "response"])
    if extension_reason.strip() and extension_reason.strip() != locked.extended_reason:
        privacy_request_extend(privacy_request=locked, reason=extension_reason)
    if answering:
        lifecycle_move(
            lifecycle=PRIVACY_REQUEST_LIFECYCLE,
            row=locked,
            to=PrivacyRequestStatus.ANSWERED,
            reason="response recorded",
        )
    locked.refresh_from_db()
    return locked


def privacy_request_close(*, privacy_request: PrivacyRequest) -> PrivacyRequest:
    lifecycle_move(
        lifecycle=PRIVACY_REQUEST_LIFECYCLE,
        row=privacy_request,
        to=PrivacyRequestStatus.CLOSED,
        reason="closed by staff",
    )
    return privacy_request


def privacy_requests_overdue(*, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return PrivacyRequest.objects.filter(status__in=[PrivacyRequestStatus.OPEN], due_date__lt=today)
