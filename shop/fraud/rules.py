"""Fraud rules, as data. Each rule names a test (a function in `TESTS` of
`shop.fraud.services`) and its parameters; an order that trips any rule is held for
staff review before it can be dispatched. Change a threshold here, nowhere else."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FraudRule:
    code: str
    label: object
    test: str
    params: dict = field(default_factory=dict)


RULES: list[FraudRule] = [
    FraudRule(
        "risk-elevated",
        _("The payment provider rated the payment's risk elevated or highest"),
        "payment_field_in",
        {"field": "risk_level", "values": ("elevated", "highest")},
    ),
    FraudRule(
        "cvc-failed",
        _("The card's security code (CVC) check failed"),
        "payment_field_in",
        {"field": "cvc_check", "values": ("fail",)},
    ),
    FraudRule(
        "postcode-failed",
        _("The card's billing postcode check failed"),
        "payment_field_in",
        {"field": "postcode_check", "values": ("fail",)},
    ),
    FraudRule(
        "failed-payments-account",
        _("Several failed payments from this account in the last 24 hours"),
        "failed_payments_account",
        {"at_least": 3, "hours": 24},
    ),
    FraudRule(
        "failed-payments-network",
        _("Several failed payments from this network in the last 24 hours"),
        "failed_payments_network",
        {"at_least": 5, "hours": 24},
    ),
    FraudRule(
        "countries-differ",
        _("The card's country differs from the delivery country"),
        "countries_differ",
    ),
    FraudRule(
        "large-quantity",
        _("An unusually large quantity of one module"),
        "line_quantity_above",
        {"limit": 10},
    ),
]
