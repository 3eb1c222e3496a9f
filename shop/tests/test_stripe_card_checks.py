"""Card details and checks from Stripe reach the payment (encrypted) and the fraud
rules. Real-shaped events name the charge and the payment method by id only; the
gateway asks Stripe for the charge, as Stripe requires."""

import pytest
from django.db import connection

from shop.models import OrderEvent, OrderStatus, Payment
from shop.tests.stripe_steps import paid_by_webhook

pytestmark = pytest.mark.django_db
S = OrderStatus


@pytest.mark.parametrize(
    ("card", "status", "rules", "stored"),
    [
        ("pm_card_gb", S.PAID, "", {"card_country": "GB", "cvc_check": "pass"}),
        (
            "pm_card_cvcCheckFail",
            S.HELD_FOR_REVIEW,
            "cvc-failed, countries-differ",
            {"cvc_check": "fail"},
        ),
        (
            "pm_card_avsZipFail",
            S.HELD_FOR_REVIEW,
            "postcode-failed, countries-differ",
            {"postcode_check": "fail"},
        ),
        (
            "pm_card_riskLevelElevated",
            S.HELD_FOR_REVIEW,
            "risk-elevated, countries-differ",
            {"risk_level": "elevated"},
        ),
        ("pm_card_fr", S.HELD_FOR_REVIEW, "countries-differ", {"card_country": "FR"}),
    ],
)
def test_each_card_rule_fires_from_a_real_shaped_event_through_the_signed_webhook(
    client, started, fake_stripe, card, status, rules, stored
):
    order, _module, payment, _page = started
    intent = paid_by_webhook(client, fake_stripe, payment, card)
    assert intent["latest_charge"].startswith("ch_")  # an id, as Stripe sends it

    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == status
    holds = [e.reason for e in OrderEvent.objects.filter(order=order, kind="fraud_hold")]
    assert holds == ([f"fraud rules: {rules}"] if rules else [])
    for name, value in stored.items():
        assert getattr(payment, name) == value
    assert payment.card_brand == "visa" and len(payment.card_last4) == 4
    assert any(r["path"] == f"/v1/charges/{intent['latest_charge']}" for r in fake_stripe.requests)


def test_card_details_are_encrypted_at_rest(client, started, fake_stripe):
    _order, _module, payment, _page = started
    paid_by_webhook(client, fake_stripe, payment, "pm_card_riskLevelElevated")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT card_brand, card_last4, card_country, cvc_check, postcode_check, risk_level"
            " FROM shop_payment WHERE id = %s",
            [payment.pk],
        )
        raw = cursor.fetchone()
    stored = [bytes(value) for value in raw]
    for value, plain in zip(
        stored, ["visa", "9235", "US", "pass", "pass", "elevated"], strict=True
    ):
        assert plain.encode() not in value
    payment = Payment.objects.get(pk=payment.pk)
    assert (payment.card_last4, payment.risk_level) == ("9235", "elevated")


def test_card_details_are_in_the_customers_data_export(client, started, fake_stripe):
    from privacy.rights.export import export_sections

    order, _module, payment, _page = started
    paid_by_webhook(client, fake_stripe, payment, "pm_card_cvcCheckFail")

    sections = {s["key"]: s for s in export_sections(user=order.user)}
    rows = sections["shop.payment"]["rows"]
    # Issue 14: the export holds every stored payment detail, the last four included;
    # the full card number is never stored, so it cannot be exported.
    assert rows[0]["card_last4"] == "0101"
    assert "4000000000000101" not in str(rows)
    assert rows[0]["cvc_check"] == "fail"
    assert rows[0]["card_country"] == "US"
    assert rows[0]["risk_level"] == "normal"


def test_a_declined_card_keeps_its_details_for_the_failed_payment_rules(
    client, started, fake_stripe
):
    from shop.tests.stripe_steps import post_event

    order, _module, payment, _page = started
    fake_stripe.confirm(payment.reference, "pm_card_chargeDeclined")
    post_event(client, "payment_intent.payment_failed", fake_stripe.intent(payment.reference))

    payment.refresh_from_db()
    assert (payment.card_brand, payment.card_last4, payment.card_country) == ("visa", "0002", "US")
