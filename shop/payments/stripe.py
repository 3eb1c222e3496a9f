"""Stripe: PaymentIntents confirmed in the browser by the Payment Element (which
runs the 3-D Secure challenge), checked server-side, and webhooks.

The only module that imports `stripe`. It reads what Stripe says and returns it as
plain results (`shop.payments.base`); it writes nothing.

Stripe sends ids, not objects: a PaymentIntent's `latest_charge` and
`payment_method` are `ch_`/`pm_` ids unless a request asks to expand them, and since
API version 2022-11-15 a Charge no longer carries its refunds. So the card's details
and checks come from the charge (retrieved, or expanded on a retrieve), and a
`charge.refunded` event is answered by listing the charge's refunds."""

import logging

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from privacy.disclosures import fields_sent
from shop.models import Order, Payment
from shop.payments.base import (
    Disclosed,
    GatewayError,
    GatewayResult,
    Happened,
    PaymentGateway,
    PaymentStart,
    RefundResult,
    WebhookNews,
    WebhookRejected,
)

logger = logging.getLogger(__name__)

WEBHOOK_TOLERANCE_SECONDS = 300
EXPAND_ON_RETRIEVE = ["latest_charge", "payment_method"]

# A PaymentIntent's status, as what happened to our payment. `requires_payment_method`
# means "nothing tried yet" unless a last_payment_error says an attempt failed.
INTENT_STATUSES = {
    "succeeded": Happened.SUCCEEDED,
    "processing": Happened.PROCESSING,
    "requires_action": Happened.REQUIRES_ACTION,
    "canceled": Happened.FAILED,
    "requires_payment_method": Happened.WAITING,
    "requires_confirmation": Happened.WAITING,
    "requires_capture": Happened.WAITING,
}
REFUND_EVENTS = {"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"}


def _client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=2
    )


def _plain(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj or {})


def _card_details(charge: dict | None, method: dict | None) -> dict[str, str]:
    """Brand, last four, country and checks from the charge's payment_method_details
    (or the payment method), and the risk level from the charge's outcome."""
    charge = charge or {}
    card = ((charge.get("payment_method_details") or {}).get("card")) or (
        (method or {}).get("card") or {}
    )
    checks = card.get("checks") or {}
    found = {
        "card_brand": card.get("brand"),
        "card_last4": card.get("last4"),
        "card_country": card.get("country"),
        "cvc_check": checks.get("cvc_check"),
        "postcode_check": checks.get("address_postal_code_check"),
        "risk_level": (charge.get("outcome") or {}).get("risk_level"),
    }
    return {name: str(value) for name, value in found.items() if value}


def _refund_result(refund: dict) -> RefundResult:
    return RefundResult(
        reference=str(refund["id"]),
        amount_pence=int(refund.get("amount") or 0),
        currency=str(refund.get("currency") or "").upper(),
        status=str(refund.get("status") or ""),
        failure_reason=str(refund.get("failure_reason") or ""),
    )


# Each parameter of a new PaymentIntent, in the words of the disclosure ledger (None:
# nothing about the customer).
INTENT_PARAMETER_WORDS = {
    "amount": "amount",
    "currency": "currency",
    "metadata": "order number",
    "description": "order number",
    "automatic_payment_methods": None,
}
# What Stripe.js and the Payment Element, loaded from Stripe into the pay page, send
# Stripe straight from the customer's browser, never through our server: the
# browser's address and identification with every request (Stripe's fraud checks use
# them), and, once the customer pays, the card number, expiry date and security code
# typed into Stripe's form.
BROWSER_ON_THE_PAY_PAGE = Disclosed(
    purpose="fraud-prevention", categories=("technical",), fields=("ip address", "user agent")
)
BROWSER_CARD = Disclosed(purpose="orders", categories=("financial",), fields=("card data",))


def _sent(params: dict) -> Disclosed:
    """What a new PaymentIntent's request sent, named from its own parameters."""
    return Disclosed(
        purpose="orders",
        categories=("transaction",),
        fields=fields_sent(params, INTENT_PARAMETER_WORDS),
    )


class StripeGateway(PaymentGateway):
    name = "stripe"

    def payment_start(self, *, order: Order, payment: Payment, return_url: str) -> PaymentStart:
        client = _client()
        try:
            disclosed = ()
            if payment.reference:
                intent = client.v1.payment_intents.retrieve(payment.reference)
            else:
                params = {
                    "amount": order.total_pence,
                    "currency": order.currency.lower(),
                    "automatic_payment_methods": {"enabled": True},
                    "metadata": {"order_number": order.number},
                    "description": f"Offtek order {order.number}",
                }
                intent = client.v1.payment_intents.create(
                    params=params,
                    options={"idempotency_key": f"offtek-{order.number}-payment-intent"},
                )
                disclosed = (_sent(params), BROWSER_ON_THE_PAY_PAGE)
        except stripe.StripeError as error:
            logger.warning("Stripe refused to start %s: %s", order.number, error)
            raise GatewayError(_("The card payment could not be started; try again.")) from error
        return PaymentStart(
            payment=payment,
            reference=intent["id"],
            client_secret=intent["client_secret"],
            disclosed=disclosed,
        )

    def payment_check(self, *, payment: Payment) -> GatewayResult:
        try:
            intent = _client().v1.payment_intents.retrieve(
                payment.reference, params={"expand": EXPAND_ON_RETRIEVE}
            )
        except stripe.StripeError as error:
            logger.warning("Stripe retrieve failed for %s: %s", payment.reference, error)
            raise GatewayError(_("We could not check the payment with Stripe.")) from error
        return self._intent_result(_plain(intent))

    def _intent_result(self, intent: dict) -> GatewayResult:
        """What a PaymentIntent says, with the card details from its charge (expanded,
        or retrieved when the intent carries only the charge's id)."""
        error = intent.get("last_payment_error") or {}
        happened = INTENT_STATUSES.get(str(intent.get("status")), Happened.IGNORED)
        if happened == Happened.WAITING and error:
            happened = Happened.FAILED
        charge = intent.get("latest_charge")
        if isinstance(charge, str):
            charge = _plain(_client().v1.charges.retrieve(charge))
        method = intent.get("payment_method") or error.get("payment_method")
        if isinstance(method, str) and not charge:
            method = _plain(_client().v1.payment_methods.retrieve(method))
        taken = intent.get("amount_received") if happened == Happened.SUCCEEDED else None
        # A charge or a payment method means a card was typed into Stripe's form.
        card_given = bool(charge or method)
        return GatewayResult(
            happened=happened,
            reference=str(intent.get("id") or ""),
            amount_pence=int(taken if taken is not None else intent.get("amount") or 0),
            currency=str(intent.get("currency") or "").upper(),
            failure_message=str(error.get("message") or "")
            or (str(_("The payment was cancelled.")) if intent.get("status") == "canceled" else ""),
            card=_card_details(charge if isinstance(charge, dict) else None, method),
            disclosed=(BROWSER_CARD,) if card_given else (),
        )

    def webhook_read(self, *, body: bytes, signature: str) -> WebhookNews:
        try:
            event = stripe.Webhook.construct_event(
                body, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=WEBHOOK_TOLERANCE_SECONDS
            )
            kind, obj = str(event.type), _plain(event.data.object)
            event_id = str(event.id)
        except (ValueError, KeyError, AttributeError, stripe.SignatureVerificationError) as error:
            logger.warning("Rejected a Stripe webhook: %s", type(error).__name__)
            raise WebhookRejected("invalid signature or payload") from error
        live_keys = settings.STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_"))
        if bool(getattr(event, "livemode", False)) != live_keys:
            # A test-mode event must never pay a live order (nor the reverse).
            logger.warning("Rejected a Stripe webhook from the other mode (livemode).")
            raise WebhookRejected("event from the wrong mode (livemode)")
        try:
            result = self._event_result(kind, obj)
        except stripe.StripeError as error:
            logger.warning("Stripe could not be asked about %s: %s", event_id, error)
            raise GatewayError(_("Stripe could not be reached.")) from error
        except (ValueError, TypeError, KeyError) as error:
            logger.warning("Malformed Stripe %s %s: %s", kind, event_id, error)
            raise WebhookRejected("malformed object") from error
        return WebhookNews(event_id=event_id, kind=kind, result=result)

    def _event_result(self, kind: str, obj: dict) -> GatewayResult:
        if kind.startswith("payment_intent."):
            return self._intent_result(obj)
        if kind == "charge.refunded":
            listed = _client().v1.refunds.list(params={"charge": obj["id"], "limit": 100})
            return GatewayResult(
                happened=Happened.REFUNDS,
                reference=self._intent_of(obj),
                refunds=tuple(_refund_result(_plain(r)) for r in listed.data),
            )
        if kind in REFUND_EVENTS:
            return GatewayResult(
                happened=Happened.REFUNDS,
                reference=self._intent_of(obj),
                refunds=(_refund_result(obj),),
            )
        if kind == "charge.dispute.created":
            return GatewayResult(
                happened=Happened.DISPUTED,
                reference=self._intent_of(obj),
                amount_pence=int(obj.get("amount") or 0),
                currency=str(obj.get("currency") or "").upper(),
                dispute_reason=str(obj.get("reason") or ""),
            )
        return GatewayResult(happened=Happened.IGNORED)

    def _intent_of(self, obj: dict) -> str:
        """The PaymentIntent a charge, refund or dispute belongs to (asking Stripe
        for the charge when the object names only the charge)."""
        if obj.get("payment_intent"):
            return str(obj["payment_intent"])
        charge = obj.get("charge") if obj.get("object") != "charge" else obj
        if isinstance(charge, str):
            charge = _plain(_client().v1.charges.retrieve(charge))
        return str((charge or {}).get("payment_intent") or "")

    def refund_create(self, *, payment: Payment, amount_pence: int, attempt: int) -> RefundResult:
        try:
            refund = _client().v1.refunds.create(
                params={"payment_intent": payment.reference, "amount": amount_pence},
                options={
                    "idempotency_key": f"offtek-{payment.reference}-refund-{attempt}-{amount_pence}"
                },
            )
        except stripe.StripeError as error:
            logger.warning("Stripe refund failed for %s: %s", payment.reference, error)
            raise GatewayError(_("Stripe refused the refund.")) from error
        return _refund_result(_plain(refund))
