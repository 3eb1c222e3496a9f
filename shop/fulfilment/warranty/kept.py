"""Lifetime warranties kept after an account closure: the former customer has no
account, so they prove the purchase with its order number and the e-mail address kept
with it, confirmed by a link sent to that address. With the link they can open a claim
or ask for the kept warranty to be deleted; staff can delete it on request from the
admin (the security log records it)."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from privacy.accounts.services import security_event_record
from privacy.consent.purposes import uses_personal_data
from privacy.emails import email_send
from privacy.history import deletions_unrecorded
from privacy.models import SecurityEventKind
from shop.models import Order, WarrantyClaim, WarrantyClaimEvent
from shop.orders.retention import orders_anonymise

LINK_SALT = "shop.kept-warranty"
LINK_MAX_AGE = datetime.timedelta(days=2)


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
def kept_warranty_link_send(*, number: str, email: str, language: str) -> bool:
    """E-mail a link to the kept warranty to its address, if number and address match.
    The visitor is told the same either way (no way to test addresses)."""
    order = kept_order_find(number=number, email=email)
    if order is None:
        return False
    token = signing.dumps({"o": order.pk}, salt=LINK_SALT)
    url = settings.SITE_URL.rstrip("/") + reverse(
        "shop:kept-warranty-detail", kwargs={"token": token}
    )
    to = order.warranty_email  # read now, for this purpose: the callback runs outside it
    transaction.on_commit(
        lambda: email_send(
            to=to,
            template="shop/emails/kept_warranty_link",
            context={"order": order, "url": url},
            language=language,
        )
    )
    return True


def kept_order_from_link(*, token: str) -> Order | None:
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        pk = int(payload["o"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return Order.objects.filter(pk=pk, user__isnull=True, warranty_kept=True).first()


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
