"""Stripe's objects as the API returns them, built by the fake (shop.tests.stripe_fake).

Every object carries every field Stripe's own example of it carries (Stripe's
fixtures3.json; test_stripe_fake_shapes.py compares them), with related objects as
ids: a PaymentIntent's `latest_charge` is a `ch_` id and its `payment_method` a `pm_`
id unless the request expands them. The fake keeps its own state (which test card
an intent was confirmed with, what a refund will do) elsewhere: nothing private is
ever in an object."""

import secrets
import time
import uuid

import stripe

from shop.tests.stripe_cards import DECLINE_MESSAGES, TEST_CARDS, TestCard  # noqa: F401

API_VERSION = stripe.api_version  # the version the SDK pins and sends


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(18).replace('-', 'A').replace('_', 'b')[:24]}"


def now() -> int:
    return int(time.time())


def error_body(
    message: str,
    *,
    kind: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    **extra,
) -> dict:
    """An error as Stripe sends it: only the fields that apply are present."""
    error = {"type": kind, "message": message}
    if code:
        error["code"] = code
        error["doc_url"] = f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
    if param:
        error["param"] = param
    error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{new_id('req')}"
    error.update(extra)
    return {"error": error}


def _address() -> dict:
    return {
        "city": None,
        "country": None,
        "line1": None,
        "line2": None,
        "postal_code": "SW1A 1AA",
        "state": None,
    }


def payment_method(pm_id: str, card: TestCard) -> dict:
    return {
        "allow_redisplay": "unspecified",
        "billing_details": {
            "address": _address(),
            "email": None,
            "name": None,
            "phone": None,
            "tax_id": None,
        },
        "card": {
            "brand": card.brand,
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": card.postcode_check,
                "cvc_check": card.cvc_check,
            },
            "country": card.country,
            "display_brand": card.brand,
            "exp_month": 12,
            "exp_year": 2034,
            "fingerprint": secrets.token_hex(8),
            "funding": "credit",
            "generated_from": None,
            "last4": card.last4,
            "networks": {"available": [card.brand], "preferred": None},
            "three_d_secure_usage": {"supported": True},
            "wallet": None,
            "regulated_status": "unregulated",
        },
        "created": now(),
        "customer": None,
        "id": pm_id,
        "livemode": False,
        "metadata": {},
        "object": "payment_method",
        "type": "card",
        "customer_account": None,
    }


def payment_intent(*, amount: int, currency: str, metadata: dict, description) -> dict:
    intent_id = new_id("pi")
    return {
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": {"allow_redirects": "always", "enabled": True},
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic_async",
        "client_secret": f"{intent_id}_secret_{secrets.token_urlsafe(18)}",
        "confirmation_method": "automatic",
        "created": now(),
        "currency": currency,
        "customer": None,
        "description": description,
        "id": intent_id,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": metadata,
        "next_action": None,
        "object": "payment_intent",
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": {"id": new_id("pmc"), "parent": None},
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": ["card"],
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
        "source": None,
        "excluded_payment_method_types": None,
        "customer_account": None,
        "managed_payments": {"enabled": False},
    }


def use_stripe_sdk(card: TestCard) -> dict:
    """The hash Stripe.js reads to run the 3-D Secure 2 fingerprint and challenge."""
    return {
        "type": "stripe_3ds2_fingerprint",
        "directory_server_encryption": {
            "algorithm": "RSA",
            "certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
            "directory_server_id": "A000000003",
            "root_certificate_authorities": [],
        },
        "directory_server_name": card.brand,
        "merchant": new_id("acct"),
        "one_click_authn": None,
        "server_transaction_id": str(uuid.uuid4()),
        "three_d_secure_2_source": new_id("payatt"),
        "three_ds_method_url": "",
        "three_ds_optimizations": "kf",
    }


def charge(intent: dict, pm: dict, card: TestCard, *, decline: str = "") -> dict:
    charge_id = new_id("ch")
    paid = not decline
    checks = pm["card"]["checks"]
    return {
        "amount": intent["amount"],
        "amount_captured": intent["amount"] if paid else 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": new_id("txn") if paid else None,
        "billing_details": dict(pm["billing_details"]),
        "calculated_statement_descriptor": "OFFTEK",
        "captured": paid,
        "created": now(),
        "currency": intent["currency"],
        "customer": None,
        "description": intent["description"],
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": "card_declined" if decline else None,
        "failure_message": DECLINE_MESSAGES.get(decline) if decline else None,
        "fraud_details": {},
        "id": charge_id,
        "livemode": False,
        "metadata": dict(intent["metadata"]),
        "object": "charge",
        "on_behalf_of": None,
        "outcome": {
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "declined_by_network" if decline else "approved_by_network",
            "reason": decline or None,
            "risk_level": card.risk_level,
            "risk_score": {"normal": 20, "elevated": 70, "highest": 90}.get(card.risk_level, 20),
            "seller_message": "The bank declined the payment." if decline else "Payment complete.",
            "type": "issuer_declined" if decline else "authorized",
        },
        "paid": paid,
        "payment_intent": intent["id"],
        "payment_method": pm["id"],
        "payment_method_details": {
            "card": {
                "amount_authorized": intent["amount"] if paid else None,
                "brand": card.brand,
                "checks": dict(checks),
                "country": card.country,
                "exp_month": pm["card"]["exp_month"],
                "exp_year": pm["card"]["exp_year"],
                "extended_authorization": {"status": "disabled"},
                "fingerprint": pm["card"]["fingerprint"],
                "funding": "credit",
                "incremental_authorization": {"status": "unavailable"},
                "installments": None,
                "last4": card.last4,
                "mandate": None,
                "multicapture": {"status": "unavailable"},
                "network": card.brand,
                "network_token": {"used": False},
                "overcapture": {
                    "maximum_amount_capturable": intent["amount"],
                    "status": "unavailable",
                },
                "three_d_secure": None,
                "wallet": None,
                "authorization_code": secrets.token_hex(3) if paid else None,
                "regulated_status": "unregulated",
                "network_transaction_id": secrets.token_hex(8),
                "transaction_link_id": None,
            },
            "type": "card",
        },
        "receipt_email": None,
        "receipt_number": None,
        "receipt_url": f"https://pay.stripe.com/receipts/payment/{secrets.token_urlsafe(24)}",
        "refunded": False,
        "review": None,
        "shipping": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "failed" if decline else "succeeded",
        "transfer_data": None,
        "transfer_group": None,
        "source": None,
    }


def balance_transaction(txn_id: str, source: dict) -> dict:
    fee = 20 + source["amount"] * 15 // 1000
    return {
        "amount": source["amount"],
        "available_on": now() + 2 * 86400,
        "created": now(),
        "currency": source["currency"],
        "description": source.get("description"),
        "exchange_rate": None,
        "fee": fee,
        "fee_details": [
            {
                "amount": fee,
                "application": None,
                "currency": source["currency"],
                "description": "Stripe processing fees",
                "type": "stripe_fee",
            }
        ],
        "id": txn_id,
        "net": source["amount"] - fee,
        "object": "balance_transaction",
        "reporting_category": "charge",
        "source": source["id"],
        "status": "pending",
        "type": "charge",
        "balance_type": "payments",
    }


def refund(*, charge_obj: dict, amount: int, status: str, reason=None, metadata=None) -> dict:
    return {
        "amount": amount,
        "balance_transaction": None,
        "charge": charge_obj["id"],
        "created": now(),
        "currency": charge_obj["currency"],
        "destination_details": {"card": {"type": "refund"}, "type": "card"},
        "id": new_id("re"),
        "metadata": metadata or {},
        "object": "refund",
        "payment_intent": charge_obj["payment_intent"],
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": status,
        "transfer_reversal": None,
        "customer": None,
        "customer_account": None,
        "payment_method": charge_obj["payment_method"],
    }


def dispute(charge_obj: dict, reason: str) -> dict:
    card = charge_obj["payment_method_details"]["card"]
    return {
        "amount": charge_obj["amount"],
        "balance_transactions": [],
        "charge": charge_obj["id"],
        "created": now(),
        "currency": charge_obj["currency"],
        "evidence": {
            name: None
            for name in [
                "access_activity_log",
                "billing_address",
                "cancellation_policy",
                "cancellation_policy_disclosure",
                "cancellation_rebuttal",
                "customer_communication",
                "customer_email_address",
                "customer_name",
                "customer_purchase_ip",
                "customer_signature",
                "duplicate_charge_documentation",
                "duplicate_charge_explanation",
                "duplicate_charge_id",
                "product_description",
                "receipt",
                "refund_policy",
                "refund_policy_disclosure",
                "refund_refusal_explanation",
                "service_date",
                "service_documentation",
                "shipping_address",
                "shipping_carrier",
                "shipping_date",
                "shipping_documentation",
                "shipping_tracking_number",
                "uncategorized_file",
                "uncategorized_text",
            ]
        }
        | {"enhanced_evidence": {}},
        "evidence_details": {
            "due_by": now() + 7 * 86400,
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
            "enhanced_eligibility": {},
        },
        "id": new_id("dp"),
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "object": "dispute",
        "payment_intent": charge_obj["payment_intent"],
        "payment_method_details": {
            "card": {
                "brand": card["brand"],
                "case_type": "chargeback",
                "network_reason_code": "10.4",
                "network": card["network"],
            },
            "type": "card",
        },
        "reason": reason,
        "status": "needs_response",
        "enhanced_eligibility_types": [],
    }


def list_of(items: list[dict], url: str) -> dict:
    return {"object": "list", "data": items, "has_more": False, "url": url}


def event(kind: str, obj: dict, *, event_id: str | None = None, previous=None) -> dict:
    data = {"object": obj}
    if previous is not None:
        data["previous_attributes"] = previous
    return {
        "api_version": API_VERSION,
        "created": now(),
        "data": data,
        "id": event_id or new_id("evt"),
        "livemode": False,
        "object": "event",
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": kind,
    }
