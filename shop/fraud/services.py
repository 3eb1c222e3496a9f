"""Fraud checks on a newly paid order. Fraud judges and returns a verdict; it changes
nothing (see `shop.payments.services` for the hold, `shop.payments.review` for the
staff decisions on held orders)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from privacy.consent.purposes import uses_personal_data
from shop.fraud.rules import RULES, FraudRule
from shop.models import Order, Payment, PaymentStatus


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


@uses_personal_data("fraud-prevention", categories=["financial", "transaction"])
def fraud_rules_tripped(
    *, order: Order, payment: Payment, rules: list[FraudRule] = RULES, now=None
) -> list[FraudRule]:
    now = now or timezone.now()
    return [
        rule
        for rule in rules
        if TESTS[rule.test](order=order, payment=payment, params=rule.params, now=now)
    ]


@dataclass(frozen=True)
class FraudVerdict:
    """The rules' judgement on a paid order: the codes of the rules it tripped."""

    tripped: tuple[str, ...]

    @property
    def hold(self) -> bool:
        return bool(self.tripped)


@uses_personal_data("fraud-prevention", categories=["financial", "transaction", "technical"])
def fraud_verdict(*, order: Order, payment: Payment, now=None) -> FraudVerdict:
    """Judge a newly paid order and the payment that paid it. Fraud only judges: the
    payment services hold the order, and staff decide in the review queue."""
    rules = fraud_rules_tripped(order=order, payment=payment, now=now)
    return FraudVerdict(tripped=tuple(rule.code for rule in rules))
