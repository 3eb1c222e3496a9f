"""Writes with the privacy rules: language, consent ledger, security log."""

import datetime
import ipaddress

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.utils import timezone

from privacy import policy
from privacy.models import ConsentRecord, ConsentSource, Disclosure, SecurityEvent, User
from privacy.selectors import consent_needs_confirmation, consents_current


def user_language_set(*, user: User, language: str) -> bool:
    """Store the customer's language for the messages we send them. Unknown codes
    are ignored."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


class UnknownConsentPurpose(ValueError):
    pass


@transaction.atomic
def consents_record(
    *, user: User, choices: dict[str, bool], source: str, record_refusals: bool = False
) -> list[ConsentRecord]:
    """Write one ledger row per purpose whose answer changed (or was never given, or
    was given under a policy version that has since changed the purpose).

    ``choices`` maps consent purpose keys to True (granted) or False (withdrawn). A
    "no" to a purpose never answered changes nothing and is not written, unless
    ``record_refusals`` (the cookie banner, where the refusal itself is the answer).
    """
    offered = {purpose.key for purpose in policy.consent_purposes()}
    unknown = [key for key in choices if key not in offered]
    if unknown:
        raise UnknownConsentPurpose(f"Not consent purposes: {unknown}")
    # Lock the customer's row so two simultaneous submissions cannot interleave.
    User.objects.select_for_update().filter(pk=user.pk).first()
    current = consents_current(user=user)
    version = policy.version_current().code
    written = []
    for purpose, granted in choices.items():
        row = current.get(purpose)
        if row is None and not granted and not record_refusals:
            continue  # never said yes: nothing changes
        if row and row.granted == granted and not (granted and consent_needs_confirmation(row)):
            continue
        written.append(
            ConsentRecord.objects.create(
                user=user, purpose=purpose, granted=granted, policy_version=version, source=source
            )
        )
    return written


def ip_network_part(address: str) -> str:
    """The network part of an address: IPv4 /24, IPv6 /48 (no longer one household)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def request_client(request) -> tuple[str, str]:
    """The client's IP address and user agent. Behind our own proxies
    (DJANGO_TRUSTED_PROXY_COUNT) the address comes from X-Forwarded-For, as allauth
    reads it for its rate limits; an address that cannot be told is ""."""
    if request is None:
        return "", ""
    try:
        address = get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        address = ""
    return address, (request.META.get("HTTP_USER_AGENT", "") or "")[:300]


def security_event_record(
    *,
    kind: str,
    user: User | None = None,
    request=None,
    attempted_email: str = "",
    actor: User | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Add an event to the security log. Other apps call this for their own events
    (an export, an account closure)."""
    ip_address, user_agent = request_client(request)
    if user is not None and not getattr(user, "pk", None):
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor,
        attempted_email=attempted_email[:254],
        ip_address=ip_address,
        user_agent=user_agent,
        detail=detail[:64],
    )


def cookie_choice_record(*, user, choice) -> list[ConsentRecord]:
    """A signed-in customer's cookie choice also goes into the consent ledger."""
    if user is None or not user.is_authenticated:
        return []
    return consents_record(
        user=user,
        choices=choice.ledger_choices(),
        source=ConsentSource.COOKIE_BANNER,
        record_refusals=True,
    )


@transaction.atomic
def security_log_prune(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply the security log's retention rules now, in one transaction: delete events
    after their period, shorten the IP addresses of younger ones. Idempotent.

    The rules are carried out by the retention jobs registered in
    privacy/personal_data.py, the same ones `manage.py retention` runs."""
    from privacy import retention

    now = now or timezone.now()
    done = {}
    for job in retention.jobs():
        if job.rule in ("security-log", "security-log-ip"):
            done[job.rule] = job.act(job.due(now, job.policy_rule.period))
    return {"deleted": done["security-log"], "shortened": done["security-log-ip"]}


def disclosure_record(*, user: User, processor: str, purpose: str, fields, reference: str = ""):
    """Write to the disclosure ledger that `fields` of `user` went to `processor`.

    Processor and purpose must be keys of the policy registry, so a disclosure the
    privacy page does not announce cannot be recorded."""
    if processor not in policy.PROCESSORS:
        raise ValueError(f"Unknown processor {processor!r}: add it to privacy.policy first.")
    if purpose not in policy.PURPOSES:
        raise ValueError(f"Unknown purpose {purpose!r}: add it to privacy.policy first.")
    return Disclosure.objects.create(
        user=user, processor=processor, purpose=purpose, fields=list(fields), reference=reference
    )


@transaction.atomic
def user_profile_update(*, user: User, first_name: str, last_name: str, phone: str) -> bool:
    """The customer corrects their name and phone (right to rectification)."""
    changed = (user.first_name, user.last_name, user.phone) != (first_name, last_name, phone)
    if changed:
        user.first_name, user.last_name, user.phone = first_name, last_name, phone
        user.save(update_fields=["first_name", "last_name", "phone"])
    return changed
