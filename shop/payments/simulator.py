"""The payment simulator: a test gateway that takes no money.

It behaves like Stripe with Stripe's published test cards (rules as data below),
including the 3-D Secure challenge. It keeps no card number, only the brand, the
last four digits and the scenario; nothing here logs the number."""

import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shop.models import Order, Payment, PaymentStatus
from shop.payments.base import GatewayError, PaymentGateway, PaymentStart, WebhookResult
from shop.payments.services import (
    payment_create,
    payment_failed,
    payment_requires_action,
    payment_succeeded,
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

    def payment_start(self, *, order: Order, return_url: str) -> PaymentStart:
        if order.status != "pending_payment":
            raise GatewayError(_("This order is not awaiting payment."))
        payment = order.payments.filter(
            gateway=self.name, status__in=[PaymentStatus.CREATED, PaymentStatus.REQUIRES_ACTION]
        ).first() or payment_create(
            order=order, gateway=self.name, reference=f"sim_{secrets.token_hex(8)}"
        )
        # A payment waiting for its 3-D Secure answer goes back to the challenge.
        page = (
            "shop:simulator-challenge"
            if payment.status == PaymentStatus.REQUIRES_ACTION
            else "shop:simulator-card"
        )
        url = reverse(page, kwargs={"number": order.number, "payment_id": payment.pk})
        return PaymentStart(payment=payment, redirect_url=url)

    @transaction.atomic
    def card_submit(self, *, payment: Payment, number: str) -> Payment:
        """The customer submitted the simulator's card form (already validated)."""
        scenario = SCENARIOS_BY_CARD.get(number, UNKNOWN_CARD)
        card = {
            "card_brand": card_brand(number),
            "card_last4": number[-4:],
            "scenario": scenario.code,
        }
        if scenario.challenge:
            payment_requires_action(payment=payment, **card)
        elif scenario.decline:
            payment_failed(
                payment=payment,
                message=str(DECLINE_MESSAGES[scenario.decline]),
                card_brand=card["card_brand"],
                card_last4=card["card_last4"],
            )
        else:
            payment_succeeded(
                payment=payment,
                amount_pence=payment.amount_pence,
                currency=payment.currency,
                card_brand=card["card_brand"],
                card_last4=card["card_last4"],
                checks=scenario.checks,
            )
        payment.refresh_from_db()
        return payment

    @transaction.atomic
    def challenge_complete(self, *, payment: Payment, approved: bool) -> Payment:
        """The customer answered the simulated 3-D Secure challenge."""
        if payment.status != PaymentStatus.REQUIRES_ACTION:
            return payment
        scenario = next(
            (s for s in SCENARIOS_BY_CARD.values() if s.code == payment.scenario), UNKNOWN_CARD
        )
        if not approved:
            payment_failed(payment=payment, message=str(DECLINE_MESSAGES["authentication_failed"]))
        elif scenario.decline:
            payment_failed(payment=payment, message=str(DECLINE_MESSAGES[scenario.decline]))
        else:
            payment_succeeded(
                payment=payment,
                amount_pence=payment.amount_pence,
                currency=payment.currency,
                checks=scenario.checks,
            )
        payment.refresh_from_db()
        return payment

    def payment_return(self, *, payment: Payment) -> Payment:
        return payment  # the simulator decides on our own server: nothing to ask

    def webhook_handle(self, *, body: bytes, signature: str) -> WebhookResult:
        return WebhookResult(status=404, message="the simulator sends no webhooks")

    def refund_create(self, *, payment: Payment, amount_pence: int) -> str:
        return f"sim_re_{secrets.token_hex(8)}"
