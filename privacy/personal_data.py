"""The privacy app's own personal data (see privacy.registry for the API)."""

from allauth.account.models import EmailAddress, EmailConfirmation
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from privacy import registry, retention
from privacy.accounts.services import ip_network_part
from privacy.disclosures import disclosure_labels
from privacy.models import (
    CacheEntry,
    ConsentRecord,
    Disclosure,
    KeyCanary,
    Newsletter,
    OutgoingEmail,
    PersonalDataBreach,
    PrivacyRequest,
    PrivacyRequestStatus,
    QueueWorker,
    SecurityEvent,
    User,
)
from privacy.retention import inactivity


def _user_export(user):
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "gpc_honoured_at": user.gpc_honoured_at.isoformat() if user.gpc_honoured_at else None,
    }


def _consent_export(row):
    return {
        "purpose": row.purpose,
        "granted": row.granted,
        "when": row.created_at.isoformat(),
        "policy_version": row.policy_version,
        "source": row.source,
    }


def _security_export(row):
    return {
        "event": row.kind,
        "when": row.created_at.isoformat(),
        "ip_address": row.ip_address,
        "browser": row.user_agent,
    }


registry.declare(
    User,
    title=_("Your account"),
    labels={"date_joined": _("customer since")},
    categories=["contact", "identity"],
    purpose="account",
    fields=["email", "first_name", "last_name", "phone", "language", "gpc_honoured_at"],
    # The name greets the customer in what each purpose sends them; the mobile number
    # carries order updates and, with consent, offers by text message.
    reads={
        "orders": ["first_name", "last_name", "phone"],
        "customer-care": ["first_name", "last_name"],
        "warranty": ["first_name", "last_name"],
        "review-invitations": ["first_name", "last_name"],
        "marketing-email": ["first_name", "last_name"],
        "marketing-sms": ["phone"],
    },
    retention="account",
    owner="self",
    export=_user_export,
    erase=registry.Erase.DELETE,
)

registry.declare(
    ConsentRecord,
    title=_("Your marketing choices"),
    labels={"granted": _("said yes")},
    categories=["marketing"],
    purpose="account",
    fields=["purpose", "granted", "created_at", "policy_version", "source"],
    retention="consent-ledger",
    owner="user",
    export=_consent_export,
    erase=registry.Erase.DELETE,
)

registry.declare(
    SecurityEvent,
    title=_("Your security log"),
    aliases={"event": "kind", "browser": "user_agent"},
    categories=["technical"],
    purpose="security-audit",
    fields=["kind", "attempted_email", "ip_address", "ip_shortened", "user_agent", "created_at"],
    retention="security-log",
    owner="user",
    export=_security_export,
    erase=registry.Erase.DELETE,
)


# allauth keeps its own copy of the login e-mail (with its verification state); it is
# the customer's contact data, erased with the account.
registry.declare(
    EmailAddress,
    title=_("Your e-mail addresses"),
    labels={"verified": _("confirmed"), "primary": _("used to sign in")},
    categories=["contact"],
    purpose="account",
    fields=["email", "verified", "primary"],
    retention="account",
    owner="user",
    erase=registry.Erase.DELETE,
)

registry.declare(
    EmailConfirmation,
    title=_("E-mail confirmation links we sent you"),
    labels={"email_address": _("e-mail address"), "created": _("created"), "sent": _("sent")},
    categories=["contact"],
    purpose="account",
    fields=["email_address", "created", "sent"],
    retention="unverified-signup",
    owner="email_address__user",
    erase=registry.Erase.DELETE,
)


def _disclosure_export(row):
    labels = disclosure_labels(row)  # in the customer's language, beside the keys
    return {
        "processor": row.processor,
        "processor_name": labels["processor"],
        "purpose": row.purpose,
        "purpose_name": labels["purpose"],
        "categories": row.categories,
        "categories_names": labels["categories"],
        "fields": row.fields,
        "fields_names": labels["fields"],
        "reference": row.reference,
        "outcome": row.outcome,
        "outcome_name": labels["outcome"],
        "attempt": row.attempt,
        "when": row.created_at.isoformat(),
    }


registry.declare(
    Disclosure,
    title=_("Who we passed your data to"),
    labels={
        "processor_name": _("service, in words"),
        "purpose_name": _("purpose, in words"),
        "categories_names": _("kinds of data, in words"),
        "fields_names": _("details sent, in words"),
        "outcome_name": _("what came of it, in words"),
    },
    categories=["contact", "identity"],
    purpose="account",
    fields=["processor", "purpose", "fields", "reference", "outcome", "attempt", "created_at"],
    retention="consent-ledger",
    owner="user",
    export=_disclosure_export,
    erase=registry.Erase.DELETE,
)


def _privacy_request_export(row):
    return {
        "reference": row.reference,
        "request": row.kind,
        "status": row.status,
        "sent": row.created_at.isoformat(),
        "due": row.due_date.isoformat() if row.due_date else None,
        "extension_reason": row.extended_reason,
        "email": row.email,
        "name": row.name,
        "message": row.message,
        "our_response": row.response,
    }


# Requests to the Privacy Officer prove we answered: they outlive an account closure
# (detached from the login) and go three years after the request is closed.
registry.declare(
    PrivacyRequest,
    title=_("Your requests to our Privacy Officer"),
    aliases={"request": "kind", "our_response": "response", "extension_reason": "extended_reason"},
    labels={"sent": _("sent"), "due": _("answer due by")},
    categories=["contact", "identity", "correspondence"],
    purpose="customer-care",
    fields=["email", "email_digest", "name", "message", "kind", "created_at", "response", "notes"],
    retention="privacy-request",
    owner="user",
    export=_privacy_request_export,
    erase=registry.Erase.DELETE,
    closure=registry.Closure.HOLD,
    detach="user",
)

# The only personal data stored in clear. The privacy page lists these with their reason
# (generated from here); the raw-database scan (privacy.scan) refuses any other.
_LOGIN_REASON = _(
    "Your e-mail address is how you sign in: we must find your account by it, which an "
    "encrypted value does not allow. It is deleted when your account is closed."
)
registry.stored_in_clear(User, "email", reason=_LOGIN_REASON)
registry.stored_in_clear(EmailAddress, "email", reason=_LOGIN_REASON)
registry.stored_in_clear(
    LogEntry,
    "object_repr",
    reason=_(
        "Our staff log names the account a member of staff changed by its e-mail address; "
        "it is replaced by a neutral text when your account is closed."
    ),
)

registry.exempt(KeyCanary, reason="A fixed value that proves the encryption keys, about no one.")
registry.exempt(
    Newsletter, reason="A message written by staff for every subscriber, about no one in it."
)
registry.exempt(QueueWorker, reason="A task worker's id and when it was last seen, about no one.")


# Retention jobs for the privacy app's own data ------------------------------------


def _ip_shorten(queryset) -> int:
    # Encrypted values can only be rewritten one row at a time.
    events = list(queryset.only("id", "ip_address"))
    for event in events:
        event.ip_address = ip_network_part(event.ip_address)
        event.ip_shortened = True
    SecurityEvent.objects.bulk_update(events, ["ip_address", "ip_shortened"])
    return len(events)


retention.register(
    rule="security-log",
    model=SecurityEvent,
    due=lambda now, period: SecurityEvent.objects.filter(created_at__lt=now - period),
    act=retention.delete_rows,
)
retention.register(
    rule="security-log-ip",
    model=SecurityEvent,
    due=lambda now, period: SecurityEvent.objects.filter(
        created_at__lt=now - period, ip_shortened=False
    ),
    act=_ip_shorten,
)
retention.register(
    rule="unverified-signup",
    model=User,
    due=lambda now, period: User.objects.filter(
        date_joined__lt=now - period, is_staff=False, is_superuser=False
    ).exclude(emailaddress__verified=True),
    act=retention.delete_rows,
)
retention.register(
    rule="privacy-request",
    model=PrivacyRequest,
    due=lambda now, period: PrivacyRequest.objects.filter(
        status=PrivacyRequestStatus.CLOSED, closed_at__lt=now - period
    ),
    act=retention.delete_rows,
)
retention.register(
    rule="inactive-customer",
    model=User,
    due=inactivity.customers_to_close,
    act=inactivity.inactive_accounts_close,
    name="inactive-customer: accounts closed after the notice",
)
retention.register(
    rule="inactive-customer",
    model=User,
    due=inactivity.customers_to_notify,
    act=inactivity.inactivity_notices_send,
    name="inactive-customer: notices e-mailed 30 days before closure",
    action="notify",
)

# The e-mail outbox: the recipient and the context, encrypted; the task carries only
# the row's id. A sent row forgets its context at once and stays (so that it is never
# sent twice) until this rule deletes it, as it deletes rows never sent.
registry.declare(
    OutgoingEmail,
    title=_("E-mails waiting to be sent to you"),
    labels={"to": _("to"), "about": _("about"), "queued": _("queued")},
    categories=["contact", "correspondence"],
    purpose="account",
    fields=["to", "template", "language", "payload", "created_at"],
    # The queue's worker opens the envelope; what the e-mail is about, it reads under
    # the purpose the e-mail was queued for (privacy.email_messages).
    reads={"email-delivery": ["to", "payload"]},
    retention="outgoing-email",
    owner="user",
    export=lambda row: {
        "to": row.to,
        "about": row.template,
        "queued": row.created_at.isoformat(),
    },
    erase=registry.Erase.DELETE,
)
retention.register(
    rule="outgoing-email",
    model=OutgoingEmail,
    due=lambda now, period: OutgoingEmail.objects.filter(created_at__lt=now - period),
    act=retention.delete_rows,
    name="outgoing-email: e-mails sent or never sent",
)
# The production task queue keeps each task's arguments (ids only) and its outcome.
# Finished tasks go after a few days, and so do tasks that never ran.
retention.register(
    rule="outgoing-email",
    model=DBTaskResult,
    due=lambda now, period: DBTaskResult.objects.filter(
        Q(
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
            finished_at__lt=now - period,
        )
        | Q(enqueued_at__lt=now - period)
    ),
    act=retention.delete_rows,
    name="outgoing-email: tasks in the queue, finished or never run",
)


def _expired_cache_entries(now, period):
    """Expired rows of the database cache, when a cache is that table (the default
    cache, or the one standing in while Redis is down)."""
    if not any(
        cache.get("BACKEND", "").endswith("DatabaseCache")
        and cache.get("LOCATION") == CacheEntry._meta.db_table
        for cache in settings.CACHES.values()
    ):
        return CacheEntry.objects.none()
    return CacheEntry.objects.filter(expires__lt=now - period)


registry.exempt(
    CacheEntry,
    reason=(
        "Under keyed hashes: rate-limit counters, catalog pages, and encrypted copies of "
        "sessions and of people's own pages; nothing in it reads as anyone without the keys."
    ),
)
retention.register(
    rule="expired-cache",
    model=CacheEntry,
    due=_expired_cache_entries,
    act=retention.delete_rows,
    name="expired-cache: expired rows of the database cache",
)

registry.exempt(
    PersonalDataBreach,
    reason=(
        "An entry in the breach register describes an incident and counts the people "
        "affected; it names none of them."
    ),
)
