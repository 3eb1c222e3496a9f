"""The payment simulator: a test gateway that takes no money.

It behaves like Stripe with Stripe's published test cards (rules as data below),
including the 3-D Secure challenge. It keeps no card number, only the brand, the
last four digits and the scenario; nothing here logs the number.

It records no disclosure, and its results say nothing was disclosed (`disclosed`
left empty): the card form and the challenge are pages of this site, the card number
goes only to this server and no further, and no third party is involved. The ledger
lists what went to a processor, and the simulator is none."""

import secrets
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shop.models import Order, Payment, PaymentStatus, RefundStatus
from shop.payments.base import (
    GatewayResult,
    Happened,
    PaymentGateway,
    PaymentStart,
    RefundResult,
    WebhookNews,
    WebhookRejected,
)

PASSED = {"cvc_check": "pass", "postcode_check": "pass", "risk_level": "normal"}


@dataclass(frozen=True)
class Scenario:
    code: str
    challenge: bool
    decline: str = ""  # a key of DECLINE_MESSAGES, empty for success
    # What the card checks and the risk assessment report, as Stripe's charge
    # `outcome.risk_level` and `payment_method_details.card.checks` would.
    checks: dict = field(default_factory=lambda: dict(PASSED))


SCENARIOS_BY_CARD: dict[str, Scenario] = {
    "4242424242424242": Scenario("frictionless_success", challenge=False),
    "4000002760003184": Scenario("challenge_success", challenge=True),
    "4000008260003178": Scenario(
        "challenge_insufficient_funds", challenge=True, decline="insufficient_funds"
    ),
    "4000000000009995": Scenario(
        "insufficient_funds", challenge=False, decline="insufficient_funds"
    ),
    "4000000000000002": Scenario("declined", challenge=False, decline="card_declined"),
    # Stripe's test cards for card checks, risk and card country.
    "4000000000000101": Scenario("cvc_check_fails", False, checks={**PASSED, "cvc_check": "fail"}),
    "4000000000000036": Scenario(
        "postcode_check_fails", False, checks={**PASSED, "postcode_check": "fail"}
    ),
    "4000000000009235": Scenario(
        "elevated_risk", False, checks={**PASSED, "risk_level": "elevated"}
    ),
    "4000008260000000": Scenario("card_gb", False, checks={**PASSED, "card_country": "GB"}),
    "4000002500000003": Scenario("card_fr", False, checks={**PASSED, "card_country": "FR"}),
}
UNKNOWN_CARD = Scenario("unknown_card", challenge=False, decline="unknown_card")

DECLINE_MESSAGES = {
    "insufficient_funds": _("Your card was declined: insufficient funds."),
    "card_declined": _("Your card was declined."),
    "unknown_card": _(
        "Your card was declined. This test gateway accepts only Stripe's published test cards."
    ),
    "authentication_failed": _("3-D Secure authentication failed; the payment was not taken."),
}

BRANDS = {"4": "Visa", "5": "Mastercard", "3": "American Express"}


def card_brand(number: str) -> str:
    return BRANDS.get(number[:1], "Card")


class SimulatorGateway(PaymentGateway):
    name = "simulator"
    is_test = True

    def payment_start(self, *, order: Order, payment: Payment, return_url: str) -> PaymentStart:
        # A payment waiting for its 3-D Secure answer goes back to the challenge.
        page = (
            "shop:simulator-challenge"
            if payment.status == PaymentStatus.REQUIRES_ACTION
            else "shop:simulator-card"
        )
        url = reverse(page, kwargs={"number": order.number, "payment_id": payment.pk})
        reference = payment.reference or f"sim_{secrets.token_hex(8)}"
        return PaymentStart(payment=payment, reference=reference, redirect_url=url)

    def card_submit(self, *, payment: Payment, number: str) -> GatewayResult:
        """What the simulated provider answers to the card form (already validated)."""
        scenario = SCENARIOS_BY_CARD.get(number, UNKNOWN_CARD)
        card = {"card_brand": card_brand(number), "card_last4": number[-4:]}
        if scenario.challenge:
            return self._result(
                payment, Happened.REQUIRES_ACTION, scenario=scenario.code, card=card
            )
        if scenario.decline:
            message = str(DECLINE_MESSAGES[scenario.decline])
            return self._result(payment, Happened.FAILED, failure_message=message, card=card)
        return self._result(payment, Happened.SUCCEEDED, card={**card, **scenario.checks})

    def challenge_complete(self, *, payment: Payment, approved: bool) -> GatewayResult:
        """What the simulated issuer answers to the 3-D Secure challenge."""
        scenario = next(
            (s for s in SCENARIOS_BY_CARD.values() if s.code == payment.scenario), UNKNOWN_CARD
        )
        if not approved or scenario.decline:
            decline = scenario.decline if approved else "authentication_failed"
            message = str(DECLINE_MESSAGES[decline])
            return self._result(payment, Happened.FAILED, failure_message=message)
        return self._result(payment, Happened.SUCCEEDED, card=dict(scenario.checks))

    def _result(self, payment: Payment, happened: Happened, **fields) -> GatewayResult:
        return GatewayResult(
            happened=happened,
            reference=payment.reference,
            amount_pence=payment.amount_pence,
            currency=payment.currency,
            **fields,
        )

    def payment_check(self, *, payment: Payment) -> GatewayResult:
        # The simulator decides on our own server: nothing to ask.
        return GatewayResult(happened=Happened.IGNORED, reference=payment.reference)

    def webhook_read(self, *, body: bytes, signature: str) -> WebhookNews:
        raise WebhookRejected("the simulator sends no webhooks")

    def refund_create(self, *, payment: Payment, amount_pence: int, attempt: int) -> RefundResult:
        return RefundResult(
            reference=f"sim_re_{secrets.token_hex(8)}",
            amount_pence=amount_pence,
            currency=payment.currency,
            status=RefundStatus.SUCCEEDED,
        )
