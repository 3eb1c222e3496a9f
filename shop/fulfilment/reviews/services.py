"""Review invitations: once per delivered order, N days after delivery, only to
customers who agreed to them and whose account is open."""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from privacy.consent.purposes import ConsentMissing, for_purpose
from privacy.disclosures import disclosure_check, disclosure_record, fields_sent
from shop.fulfilment.reviews.base import (
    DISCLOSED_CATEGORIES,
    ReviewProvider,
    ReviewProviderError,
)
from shop.fulfilment.reviews.console import ConsoleReviewProvider
from shop.fulfilment.reviews.http import HttpReviewProvider
from shop.fulfilment.reviews.memory import MemoryReviewProvider
from shop.models import Order, OrderStatus, ReviewInvitation
from shop.orders.selectors import order_language

logger = logging.getLogger(__name__)

PROVIDERS: dict[str, type[ReviewProvider]] = {
    "console": ConsoleReviewProvider,
    "memory": MemoryReviewProvider,
    "http": HttpReviewProvider,
}
OFF = "off"
CONSENT_PURPOSE = "review-invitations"
# The payload's keys in the disclosure ledger's words; the language the invitation is
# written in says nothing about the person beyond what the provider is told anyway.
WORDS = {"name": "name", "email": "email", "order_number": "order number", "language": None}
# An order not invited within this many days of becoming due (no consent at the time,
# provider down) is never invited: a late invitation would surprise the customer.
INVITE_WITHIN_DAYS = 30


def review_provider() -> ReviewProvider:
    return PROVIDERS[settings.REVIEW_PROVIDER_BACKEND]()


def orders_due_for_review(*, now: datetime.datetime | None = None):
    """Delivered orders, delivered at least REVIEW_INVITATION_DAYS ago, never invited,
    whose customer still has an open account."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.REVIEW_INVITATION_DAYS)
    return (
        Order.objects.filter(
            status=OrderStatus.DELIVERED,
            delivered_at__lte=cutoff,
            delivered_at__gt=cutoff - datetime.timedelta(days=INVITE_WITHIN_DAYS),
            review_invitation__isnull=True,
            user__isnull=False,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("delivered_at", "pk")
    )


def review_payload(*, order: Order, user) -> dict:
    """What the review provider is handed for one invitation (`ReviewProvider.invite`),
    read under the customer's consent (checked again here: raises ConsentMissing)."""
    with for_purpose(CONSENT_PURPOSE, categories=DISCLOSED_CATEGORIES, user=user):
        return {
            "name": user.get_full_name() or order.delivery_name,
            "email": user.email,
            "order_number": order.number,
            "language": order_language(order),
        }


def review_invitation_send(*, order: Order) -> ReviewInvitation | None:
    """Invite the order's customer, once. None when they did not agree (or withdrew),
    their account is closed, the order was invited already, or invitations are off."""
    user = order.user if order.user_id else None
    if user is None or not user.is_active or settings.REVIEW_PROVIDER_BACKEND == OFF:
        return None
    provider = review_provider()
    try:
        with (
            for_purpose(CONSENT_PURPOSE, categories=DISCLOSED_CATEGORIES, user=user),
            transaction.atomic(),
        ):
            # The unique row is claimed first: a concurrent run stops here.
            invitation = ReviewInvitation.objects.create(order=order, provider=provider.name)
            invited = review_payload(order=order, user=user)
            # Refused here, before the provider sees it, if the payload holds more than
            # the policy lets the review service receive (promise 18).
            fields = disclosure_check(processor="reviews", fields=fields_sent(invited, WORDS))
            reference = provider.invite(**invited)
            invitation.provider_reference = reference[:100]
            invitation.save(update_fields=["provider_reference"])
            disclosure_record(
                user=user,
                processor="reviews",
                purpose=CONSENT_PURPOSE,
                categories=DISCLOSED_CATEGORIES,
                fields=fields,
                reference=order.number,
            )
    except ConsentMissing:
        return None  # never agreed, or withdrew
    except IntegrityError:
        return None  # invited already
    return invitation


def review_invitations_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Invite every due order. Safe to re-run and to interrupt; a provider failure
    leaves the order for the next run."""
    counts = {"invited": 0, "skipped": 0, "failed": 0}
    if settings.REVIEW_PROVIDER_BACKEND == OFF:
        return counts
    for order in orders_due_for_review(now=now).iterator(chunk_size=200):
        try:
            invitation = review_invitation_send(order=order)
        except ReviewProviderError as error:
            logger.warning("Review invitation for %s failed: %s", order.number, error)
            counts["failed"] += 1
            continue
        counts["invited" if invitation else "skipped"] += 1
    return counts
