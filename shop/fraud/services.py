"""Fraud checks on a newly paid order, and the staff decisions on held orders."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.consent.purposes import uses_personal_data
from shop.fraud.rules import RULES, FraudRule
from shop.models import Order, OrderEvent, OrderStatus, Payment, PaymentStatus
from shop.orders.services import order_lock, order_stock_release, order_transition


def _payment_field_in(*, order: Order, payment: Payment, params: dict, now) -> bool:
    return getattr(payment, params["field"]) in params["values"]


def _failed_payments(filter_: dict, params: dict, now) -> int:
    since = now - datetime.timedelta(hours=params["hours"])
    return Payment.objects.filter(
        status=PaymentStatus.FAILED, updated_at__gte=since, **filter_
    ).count()


def _failed_payments_account(*, order: Order, payment: Payment, params: dict, now) -> bool:
    if order.user_id is None:
        return False
    return _failed_payments({"order__user_id": order.user_id}, params, now) >= params["at_least"]


def _failed_payments_network(*, order: Order, payment: Payment, params: dict, now) -> bool:
    if not order.client_ip_hash:
        return False
    found = _failed_payments({"order__client_ip_hash": order.client_ip_hash}, params, now)
    return found >= params["at_least"]


@uses_personal_data("fraud-prevention", categories=["contact", "financial"])
def _countries_differ(*, order: Order, payment: Payment, params: dict, now) -> bool:
    return bool(payment.card_country) and payment.card_country.upper() != (
        order.delivery_country.upper()
    )


def _line_quantity_above(*, order: Order, payment: Payment, params: dict, now) -> bool:
    return order.lines.filter(quantity__gt=params["limit"]).exists()


TESTS = {
    "payment_field_in": _payment_field_in,
    "failed_payments_account": _failed_payments_account,
    "failed_payments_network": _failed_payments_network,
    "countries_differ": _countries_differ,
    "line_quantity_above": _line_quantity_above,
}


def fraud_rules_tripped(
    *, order: Order, payment: Payment, rules: list[FraudRule] = RULES, now=None
) -> list[FraudRule]:
    now = now or timezone.now()
    return [
        rule
        for rule in rules
        if TESTS[rule.test](order=order, payment=payment, params=rule.params, now=now)
    ]


@uses_personal_data("fraud-prevention", categories=["financial", "transaction", "technical"])
@transaction.atomic
def order_fraud_check(*, order: Order, payment: Payment) -> list[str]:
    """Run every rule on a paid order; hold it for review when any trips, recording
    which. Returns the codes of the rules tripped."""
    tripped = [rule.code for rule in fraud_rules_tripped(order=order, payment=payment)]
    if tripped and order_lock(order=order).status == OrderStatus.PAID:
        reason = "fraud rules: " + ", ".join(tripped)
        OrderEvent.objects.create(order=order, kind="fraud_hold", reason=reason[:200])
        order_transition(order=order, to=OrderStatus.HELD_FOR_REVIEW, reason=reason)
    return tripped


class ReviewError(Exception):
    """A staff decision on a held order that cannot be applied; the text says why."""


@transaction.atomic
def order_review_release(*, order: Order, reason: str, by) -> bool:
    """Staff checked a held order and let it go on to dispatch."""
    if not reason.strip():
        raise ReviewError(_("A reason is required."))
    locked = order_lock(order=order)
    if locked.status != OrderStatus.HELD_FOR_REVIEW:
        raise ReviewError(_("%(number)s is not held for review.") % {"number": locked.number})
    OrderEvent.objects.create(order=locked, kind="review_released", reason=reason[:200])
    changed = order_transition(order=locked, to=OrderStatus.PAID, reason=f"staff #{by.pk}")
    order.refresh_from_db()
    return changed


def order_review_refund(*, order: Order, reason: str, by) -> bool:
    """Staff judged a held order fraudulent: refund it in full, which cancels it."""
    from shop.payments.services import payment_refund

    if not reason.strip():
        raise ReviewError(_("A reason is required."))
    order.refresh_from_db()
    if order.status != OrderStatus.HELD_FOR_REVIEW:
        raise ReviewError(_("%(number)s is not held for review.") % {"number": order.number})
    payment = order.payments.filter(status=PaymentStatus.SUCCEEDED).first()
    if payment is None:
        raise ReviewError(
            _("%(number)s has no successful payment to refund.") % {"number": order.number}
        )
    OrderEvent.objects.create(order=order, kind="review_refused", reason=reason[:200])
    payment_refund(
        payment=payment, amount_pence=order.refundable_pence, reason=f"review: {reason}", by=by
    )
    # The modules never left the warehouse: they go back to stock.
    order_stock_release(order=order)
    order.refresh_from_db()
    return order.status == OrderStatus.REFUNDED
