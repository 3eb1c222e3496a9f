"""Stripe: PaymentIntents confirmed in the browser by the Payment Element (which
runs the 3-D Secure challenge), checked server-side, and webhooks.

The only module that imports `stripe`."""

import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from privacy.disclosures import disclosure_record
from shop.models import Order, Payment, PaymentStatus
from shop.payments.base import GatewayError, PaymentGateway, PaymentStart, WebhookResult
from shop.payments.services import (
    RefundError,
    payment_create,
    payment_disputed,
    payment_event_claim,
    payment_failed,
    payment_requires_action,
    payment_succeeded,
    refund_record,
)

logger = logging.getLogger(__name__)

WEBHOOK_TOLERANCE_SECONDS = 300
OPEN_STATUSES = [PaymentStatus.CREATED, PaymentStatus.REQUIRES_ACTION]


def _client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=2
    )


def _failure_message(intent) -> str:
    error = intent.get("last_payment_error") or {}
    return str(error.get("message") or _("Your card was declined."))


def _card(intent) -> dict:
    error = intent.get("last_payment_error") or {}
    method = intent.get("payment_method") or error.get("payment_method") or {}
    card = method.get("card") if isinstance(method, dict) else None
    if not card:
        return {}
    return {"card_brand": str(card.get("brand", "")), "card_last4": str(card.get("last4", ""))}


def _checks(intent) -> dict:
    """Card checks and risk, from the payment method and (when the webhook or retrieve
    expanded it) the latest charge's `outcome` and `payment_method_details`."""
    method = intent.get("payment_method")
    card = (method.get("card") if isinstance(method, dict) else None) or {}
    charge = intent.get("latest_charge")
    if isinstance(charge, dict):
        card = ((charge.get("payment_method_details") or {}).get("card")) or card
    card_checks = card.get("checks") or {}
    found = {
        "card_country": card.get("country") or "",
        "cvc_check": card_checks.get("cvc_check") or "",
        "postcode_check": card_checks.get("address_postal_code_check") or "",
    }
    if isinstance(charge, dict):
        found["risk_level"] = (charge.get("outcome") or {}).get("risk_level") or ""
    return {key: str(value) for key, value in found.items() if value}


def _intent_disclosure_record(*, order: Order) -> None:
    """Stripe accepted the PaymentIntent: it holds the order number and the amount."""
    if order.user_id:
        disclosure_record(
            user=order.user,
            processor="payment",
            purpose="orders",
            categories=("transaction",),
            fields=("order number", "amount"),
            reference=order.number,
        )


class StripeGateway(PaymentGateway):
    name = "stripe"

    def payment_start(self, *, order: Order, return_url: str) -> PaymentStart:
        if order.status != "pending_payment":
            raise GatewayError(_("This order is not awaiting payment."))
        client = _client()
        payment = order.payments.filter(gateway=self.name, status__in=OPEN_STATUSES).first()
        try:
            if payment is not None:
                intent = client.v1.payment_intents.retrieve(payment.reference)
            else:
                intent = client.v1.payment_intents.create(
                    params={
                        "amount": order.total_pence,
                        "currency": order.currency.lower(),
                        "automatic_payment_methods": {"enabled": True},
                        "metadata": {"order_number": order.number},
                        "description": f"Offtek order {order.number}",
                    },
                    options={"idempotency_key": f"offtek-{order.number}-payment-intent"},
                )
                payment = payment_create(order=order, gateway=self.name, reference=intent["id"])
                _intent_disclosure_record(order=order)
        except stripe.StripeError as error:
            logger.warning("Stripe refused to start %s: %s", order.number, error)
            raise GatewayError(_("The card payment could not be started; try again.")) from error
        return PaymentStart(payment=payment, client_secret=intent["client_secret"])

    def payment_return(self, *, payment: Payment) -> Payment:
        try:
            intent = _client().v1.payment_intents.retrieve(payment.reference)
        except stripe.StripeError as error:
            logger.warning("Stripe retrieve failed for %s: %s", payment.reference, error)
            return payment
        self._apply_intent(payment=payment, intent=intent.to_dict())
        payment.refresh_from_db()
        return payment

    def _apply_intent(self, *, payment: Payment, intent) -> str:
        status = intent.get("status")
        if status == "succeeded":
            changed = payment_succeeded(
                payment=payment,
                amount_pence=int(intent.get("amount_received") or intent.get("amount") or 0),
                currency=str(intent.get("currency", "")),
                checks=_checks(intent),
                **_card(intent),
            )
            return "paid" if changed else "succeeded, no change"
        if status == "requires_action":
            payment_requires_action(payment=payment)
            return "requires action"
        if status in ("requires_payment_method", "canceled") and (
            intent.get("last_payment_error") or status == "canceled"
        ):
            changed = payment_failed(
                payment=payment, message=_failure_message(intent), **_card(intent)
            )
            return "failed" if changed else "failed, no change"
        return f"no change ({status})"

    def webhook_handle(self, *, body: bytes, signature: str) -> WebhookResult:
        try:
            event = stripe.Webhook.construct_event(
                body,
                signature,
                settings.STRIPE_WEBHOOK_SECRET,
                tolerance=WEBHOOK_TOLERANCE_SECONDS,
            )
        except (ValueError, stripe.SignatureVerificationError) as error:
            logger.warning("Rejected a Stripe webhook: %s", type(error).__name__)
            return WebhookResult(status=400, message="invalid signature or payload")
        return self._event_apply(event)

    @transaction.atomic
    def _event_apply(self, event) -> WebhookResult:
        claimed = payment_event_claim(gateway=self.name, event_id=event.id, kind=event.type)
        if claimed is None:
            return WebhookResult(status=200, message="already processed")
        handler = EVENT_HANDLERS.get(event.type)
        obj = event.data.object.to_dict()
        if handler is None:
            claimed.outcome = "ignored"
        else:
            payment = _payment_for(obj, event.type)
            if payment is None:
                claimed.outcome = "unknown payment"
            else:
                claimed.payment = payment
                claimed.outcome = handler(self, payment, obj)[:200]
        claimed.save(update_fields=["payment", "outcome"])
        return WebhookResult(status=200, message=claimed.outcome)

    def refund_create(self, *, payment: Payment, amount_pence: int) -> str:
        try:
            refund = _client().v1.refunds.create(
                params={"payment_intent": payment.reference, "amount": amount_pence},
                options={
                    "idempotency_key": f"offtek-{payment.reference}-refund-"
                    f"{payment.refunds.count()}-{amount_pence}"
                },
            )
        except stripe.StripeError as error:
            logger.warning("Stripe refund failed for %s: %s", payment.reference, error)
            raise GatewayError(_("Stripe refused the refund.")) from error
        return refund["id"]


def _payment_for(obj, kind: str) -> Payment | None:
    # Charges and disputes point at their PaymentIntent.
    reference = obj.get("id") if kind.startswith("payment_intent.") else obj.get("payment_intent")
    if not reference:
        return None
    return Payment.objects.filter(gateway="stripe", reference=reference).first()


def _on_succeeded(gateway: StripeGateway, payment: Payment, intent) -> str:
    return gateway._apply_intent(payment=payment, intent=intent)


def _on_failed(gateway: StripeGateway, payment: Payment, intent) -> str:
    changed = payment_failed(payment=payment, message=_failure_message(intent), **_card(intent))
    return "failed" if changed else "failed, no change"


def _on_refunded(gateway: StripeGateway, payment: Payment, charge) -> str:
    refunds = (charge.get("refunds") or {}).get("data") or []
    recorded = 0
    for refund in refunds:
        if refund.get("status", "succeeded") not in ("succeeded", "pending"):
            continue
        try:
            if refund_record(
                payment=payment,
                amount_pence=int(refund["amount"]),
                reference=str(refund["id"]),
                reason="refunded at Stripe",
            ):
                recorded += 1
        except RefundError:
            # e.g. a refund of a duplicate payment, which never counted towards the
            # order: nothing to add to the order's refunded total.
            logger.info("Stripe refund %s not counted towards its order", refund.get("id"))
    return f"{recorded} refund(s) recorded"


def _on_dispute(gateway: StripeGateway, payment: Payment, dispute) -> str:
    changed = payment_disputed(payment=payment, reason=f"dispute {dispute.get('reason', '')}")
    return "held for review" if changed else "dispute recorded"


EVENT_HANDLERS = {
    "payment_intent.succeeded": _on_succeeded,
    "payment_intent.payment_failed": _on_failed,
    "charge.refunded": _on_refunded,
    "charge.dispute.created": _on_dispute,
}
