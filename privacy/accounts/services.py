"""Writes on the account: language, profile, the security log and who the client is."""

import ipaddress

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction

from privacy.models import SecurityEvent, SecurityEventKind, User


def user_language_set(*, user: User, language: str) -> bool:
    """Store the customer's language for the messages we send them. Unknown codes
    are ignored."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


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


@transaction.atomic
def user_profile_update(
    *, user: User, first_name: str, last_name: str, phone: str, request=None
) -> bool:
    """The customer corrects their name and phone (right to rectification). Each kind
    of change that really happened goes into their security log, once."""
    name_changed = (user.first_name, user.last_name) != (first_name, last_name)
    phone_changed = user.phone != phone
    if not (name_changed or phone_changed):
        return False
    user.first_name, user.last_name, user.phone = first_name, last_name, phone
    user.save(update_fields=["first_name", "last_name", "phone"])
    if name_changed:
        security_event_record(kind=SecurityEventKind.NAME_CHANGED, user=user, request=request)
    if phone_changed:
        security_event_record(kind=SecurityEventKind.PHONE_CHANGED, user=user, request=request)
    return True
