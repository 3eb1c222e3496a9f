"""Withdrawing without signing in: the order number and the account's e-mail address,
then a link e-mailed to that address. The visitor is told the same thing, after the
same time, whether or not they match, and attempts are rate-limited per network, per
address and per order number. The link expires after a day and serves one withdrawal:
it carries the number of withdrawals the order had when it was sent, so once one is
confirmed with it (or otherwise) it no longer opens."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac

from privacy.consent.purposes import uses_personal_data
from privacy.emails import email_send
from privacy.rate_limits import rate_limit_hit
from shop.models import Order
from shop.returns.services import withdrawal_refusal

LINK_SALT = "shop.withdrawal-link"
LINK_MAX_AGE = datetime.timedelta(days=1)
# Attempts per hour: per network, per e-mail address, per order number.
RATE_LIMITS = {"ip": (10, 3600), "email": (5, 3600), "order": (5, 3600)}


class WithdrawalLinkRateLimited(Exception):
    pass


def _digest(value: str) -> str:
    return salted_hmac(LINK_SALT, value.strip().lower(), algorithm="sha256").hexdigest()


@uses_personal_data("orders", categories=["contact", "transaction"])
def withdrawal_order_find(*, number: str, email: str) -> Order | None:
    """The customer's order with this number, if ``email`` is its account's address."""
    order = (
        Order.objects.select_related("user")
        .filter(number=number.strip().upper(), user__isnull=False)
        .first()
    )
    if order is None or order.user.email.strip().lower() != email.strip().lower():
        return None
    return order


def _token(order: Order) -> str:
    return signing.dumps({"o": order.pk, "w": order.withdrawals.count()}, salt=LINK_SALT)


@uses_personal_data("orders", categories=["contact", "transaction"])
def withdrawal_link_request(*, number: str, email: str, language: str, ip: str = "") -> bool:
    """E-mail a link to withdraw from the order, if number and address match an order
    that can still be withdrawn from. Raises WithdrawalLinkRateLimited over the limits.
    Returns whether a link was sent (for tests: never shown to the visitor)."""
    if rate_limit_hit(
        action="withdrawal-link",
        values={"ip": ip, "email": _digest(email), "order": _digest(number)},
        limits=RATE_LIMITS,
    ):
        raise WithdrawalLinkRateLimited
    order = withdrawal_order_find(number=number, email=email)
    if order is None or withdrawal_refusal(order):
        return False
    url = settings.SITE_URL.rstrip("/") + reverse(
        "shop:withdrawal-link", kwargs={"token": _token(order)}
    )
    transaction.on_commit(
        lambda: email_send(
            to=order.user.email,
            user=order.user,
            template="shop/emails/withdrawal_link",
            context={"order": order, "url": url},
            language=language,
            purpose="orders",
        )
    )
    return True


def withdrawal_order_from_link(*, token: str) -> Order | None:
    """The order a link was sent for, while the link is fresh and unused."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        pk, count = int(payload["o"]), int(payload["w"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    order = Order.objects.filter(pk=pk, user__isnull=False).first()
    if order is None or order.withdrawals.count() != count:
        return None
    return order
