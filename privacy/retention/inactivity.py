"""The "inactive-customer" rule: an account with no sign-in and no order for
``PRIVACY_INACTIVE_CUSTOMER_MONTHS`` is closed, after an e-mail ``NOTICE_DAYS`` before.

A customer's last activity is the latest of their sign-up, their last sign-in and the
dates other apps register with ``activity_register`` (the shop registers its orders:
``privacy`` never imports ``shop``). A notice counts only while no activity followed
it: signing in or ordering after the e-mail cancels the closure, and the clock starts
again. The closure is the customer's own closure (``privacy.rights.erasure.account_close``),
receipt e-mailed; lifetime warranties are kept, as nobody chose to give them up. Staff
accounts are never closed this way.
"""

import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from privacy import registry
from privacy.consent.purposes import uses_personal_data
from privacy.emails import email_send
from privacy.models import User
from privacy.rights.erasure import account_close

NOTICE_DAYS = 30

_activity_lookups: list[str] = []


def activity_register(*, lookup: str) -> None:
    """Count ``lookup`` (a date reached from User, e.g. ``"orders__created_at"``) as
    activity of the customer."""
    if lookup not in _activity_lookups:
        _activity_lookups.append(lookup)


def customers_by_last_activity():
    """Open customer accounts (never staff), annotated with ``last_active``."""
    dates = [Coalesce("last_login", "date_joined")]
    dates += [Coalesce(Max(lookup), "date_joined") for lookup in _activity_lookups]
    last_active = Greatest(*dates) if len(dates) > 1 else dates[0]
    return User.objects.filter(is_active=True, is_staff=False, is_superuser=False).annotate(
        last_active=last_active
    )


def _notice_standing() -> Q:
    return Q(inactivity_notice_at__isnull=False, inactivity_notice_at__gte=F("last_active"))


def customers_to_notify(now: datetime.datetime, period: datetime.timedelta):
    """Inactive for the period less the notice, and not told since their last activity."""
    notice = datetime.timedelta(days=NOTICE_DAYS)
    return (
        customers_by_last_activity()
        .filter(last_active__lt=now - period + notice)
        .exclude(_notice_standing())
    )


def customers_to_close(now: datetime.datetime, period: datetime.timedelta):
    """Inactive for the whole period, told at least NOTICE_DAYS ago, silent since."""
    told_before = now - datetime.timedelta(days=NOTICE_DAYS)
    return customers_by_last_activity().filter(
        _notice_standing(), last_active__lt=now - period, inactivity_notice_at__lte=told_before
    )


@uses_personal_data("account", categories=["contact", "identity"])
def inactivity_notices_send(customers) -> int:
    """E-mail each customer of the batch that their account will be closed, and record
    when."""
    now = timezone.now()
    closes_on = timezone.localdate(now) + datetime.timedelta(days=NOTICE_DAYS)
    sign_in_url = settings.SITE_URL.rstrip("/") + reverse("account_login")
    rows = list(customers.only("pk", "email", "language", "first_name"))
    for customer in rows:
        # Sent once the batch is committed: a rolled-back batch tells no one.
        transaction.on_commit(
            partial(
                email_send,
                to=customer.email,
                user=customer,
                template="privacy/emails/inactivity_notice",
                context={"customer": customer, "closes_on": closes_on, "sign_in_url": sign_in_url},
                language=customer.language,
                purpose="account",
            )
        )
    return User.objects.filter(pk__in=[row.pk for row in rows]).update(inactivity_notice_at=now)


def inactive_accounts_close(customers) -> int:
    """Close each account of the batch as its owner would (receipt e-mailed)."""
    keep = frozenset(option.key for option in registry.closure_options())
    closed = 0
    for customer in customers:
        account_close(user=customer, keep=keep)
        closed += 1
    return closed
