"""Lifetime warranties kept after an account closure: the former customer has no
account, so they prove the purchase with its order number and the e-mail address kept
with it, confirmed by a link sent to that address. With the link they can open a claim
or ask for the kept warranty to be deleted; staff can delete it on request from the
admin (the security log records it)."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.accounts.services import security_event_record
from privacy.consent.purposes import uses_personal_data
from privacy.emails import email_send
from privacy.history import deletions_unrecorded
from privacy.models import SecurityEventKind
from privacy.rate_limits import rate_limit_hit
from shop.models import Order, WarrantyClaim, WarrantyClaimEvent
from shop.orders.retention import orders_anonymise

LINK_SALT = "shop.kept-warranty"
# A link opens once, within this time of being sent; the browser that opened it may then
# use the page (claim, delete) for a while, under the session.
LINK_MAX_AGE = datetime.timedelta(hours=1)
OPENED_FOR = datetime.timedelta(minutes=30)
SESSION_KEY = "kept_warranty"
# At most this many links asked for per window, per IP address and per e-mail address.
RATE_LIMITS = {"ip": (10, 3600), "email": (3, 3600)}


class KeptWarrantyRateLimited(Exception):
    """Too many links asked for from this address, or for this e-mail address."""


class KeptWarrantyLinkRefused(Exception):
    """The link does not open the kept warranty; the message is for the visitor."""


@uses_personal_data("warranty", categories=["contact", "transaction"])
def kept_order_find(*, number: str, email: str) -> Order | None:
    """The kept order with this number, if ``email`` is the address kept with it."""
    order = Order.objects.filter(
        number=number.strip().upper(), user__isnull=True, warranty_kept=True
    ).first()
    if order is None or not order.warranty_email:
        return None
    if order.warranty_email.strip().lower() != email.strip().lower():
        return None
    return order


@uses_personal_data("warranty", categories=["contact", "transaction"])
def kept_warranty_link_send(*, number: str, email: str, language: str, ip: str = "") -> bool:
    """Answer a request for the link to a kept warranty by e-mail to ``email``: the
    link if number and address match, otherwise a note that nothing matched. The
    visitor is told the same either way, and both answers cost the request the same
    work (one look-up, one queued e-mail, written and sent by the task queue), so
    neither the page nor its timing tells whether an address holds a warranty.
    Raises KeptWarrantyRateLimited (sending nothing) past RATE_LIMITS."""
    if rate_limit_hit(
        action="kept-warranty", limits=RATE_LIMITS, values={"ip": ip, "email": email}
    ):
        raise KeptWarrantyRateLimited
    order = kept_order_find(number=number, email=email)
    if order is None:
        template, context = "shop/emails/kept_warranty_unknown", {"number": number.strip()[:32]}
    else:
        payload = {"o": order.pk, "t": timezone.now().isoformat()}
        token = signing.dumps(payload, salt=LINK_SALT)
        url = settings.SITE_URL.rstrip("/") + reverse(
            "shop:kept-warranty-detail", kwargs={"token": token}
        )
        template, context = "shop/emails/kept_warranty_link", {"order": order, "url": url}
    email_send(to=email.strip(), template=template, context=context, language=language)
    return order is not None


def kept_order_from_link(*, token: str, session) -> Order:
    """The kept order a link opens, in this browser's `session`. A link opens once:
    the first visit records it on the order (and any link sent earlier stops opening),
    and lets this session use the page for OPENED_FOR. Raises KeptWarrantyLinkRefused
    for a link that is forged, expired, used, or whose warranty was deleted."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        pk, sent_at = int(payload["o"]), datetime.datetime.fromisoformat(payload["t"])
    except signing.SignatureExpired:
        raise KeptWarrantyLinkRefused(
            _("This link has expired: ask for a new one below.")
        ) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise KeptWarrantyLinkRefused(
            _("This link is not valid: ask for a new one below.")
        ) from None
    kept = Order.objects.filter(pk=pk, user__isnull=True, warranty_kept=True)
    now = timezone.now()
    opened = session.get(SESSION_KEY) or {}
    if opened.get("token") == token and opened.get("until", 0) > now.timestamp():
        order = kept.first()
    elif kept.filter(
        Q(warranty_link_used_at__isnull=True) | Q(warranty_link_used_at__lt=sent_at)
    ).update(warranty_link_used_at=now):
        session[SESSION_KEY] = {"token": token, "until": (now + OPENED_FOR).timestamp()}
        order = kept.first()
    else:
        order = None
        if kept.exists():
            raise KeptWarrantyLinkRefused(
                _("This link has been used already: each link opens once. Ask for a new one below.")
            )
    if order is None:
        raise KeptWarrantyLinkRefused(_("This link no longer opens a kept warranty."))
    return order


@transaction.atomic
def kept_warranty_delete(*, order: Order, actor=None, request=None) -> bool:
    """Delete a kept warranty: its claims (with their history) and the address kept
    for it go; the order returns to its tax hold, and is anonymised now if that hold
    has passed. ``actor``: the member of staff doing it at the customer's request
    (recorded in the security log). False when it was deleted already."""
    locked = Order.objects.select_for_update().filter(pk=order.pk, warranty_kept=True).first()
    if locked is None:
        return False
    claims = WarrantyClaim.objects.filter(line__order=locked)
    claim_ids = list(claims.values_list("pk", flat=True))
    with deletions_unrecorded():
        WarrantyClaimEvent.objects.filter(claim_id__in=claim_ids).delete()
        WarrantyClaim.objects.filter(pk__in=claim_ids).delete()
    WarrantyClaim.history.model.objects.filter(id__in=claim_ids).delete()
    Order.objects.filter(pk=locked.pk).update(warranty_kept=False, warranty_email="")
    Order.history.model.objects.filter(id=locked.pk).update(warranty_email="")
    if locked.legal_hold_until is None or locked.legal_hold_until < timezone.localdate():
        orders_anonymise(Order.objects.filter(pk=locked.pk))
    if actor is not None:
        security_event_record(
            kind=SecurityEventKind.STAFF_VIEW,
            actor=actor,
            request=request,
            detail=f"kept warranty of order {locked.pk} deleted at the customer's request",
        )
    return True
