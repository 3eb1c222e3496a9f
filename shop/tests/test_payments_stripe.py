"""Stripe end to end: the real SDK against the strict fake, real-shaped events
through the signed webhook. Orders carry paid delivery (below the free-delivery
threshold), so the amount Stripe is asked for is items + delivery."""

import json
import time

import pytest
from django.urls import reverse

from shop.models import OrderStatus, PaymentEvent, PaymentStatus
from shop.tests.stripe_fake import event_payload, sign
from shop.tests.stripe_steps import SECRET, WEBHOOK, paid_by_webhook, post_event, post_raw

pytestmark = pytest.mark.django_db


def test_payment_intent_is_created_server_side_with_items_plus_delivery(started, fake_stripe):
    order, _module, payment, page = started
    create = next(r for r in fake_stripe.requests if r["path"] == "/v1/payment_intents")
    assert order.delivery_pence == 399 and order.subtotal_pence == 4000
    assert create["params"]["amount"] == str(order.subtotal_pence + order.delivery_pence)
    assert create["params"]["currency"] == "gbp"
    assert create["params"]["metadata"] == {"order_number": order.number}
    assert create["idempotency_key"] == f"offtek-{order.number}-payment-intent"
    assert create["stripe_version"] == "2026-10-28.endive"  # the version the SDK pins
    assert payment.reference.startswith("pi_")
    assert payment.amount_pence == 4399
    assert page.status_code == 200
    assert fake_stripe.intent(payment.reference)["client_secret"] in page.text
    assert "js/checkout-stripe.js" in page.text


def test_the_pay_page_runs_under_a_policy_that_allows_stripe_js(started):
    _order, _module, _payment, page = started
    policy = dict(part.strip().split(" ", 1) for part in page["Content-Security-Policy"].split(";"))
    for host in ("https://js.stripe.com", "https://*.js.stripe.com"):
        assert host in policy["script-src"].split() and host in policy["frame-src"].split()
    assert "https://api.stripe.com" in policy["connect-src"].split()
    assert "https://hooks.stripe.com" in policy["frame-src"].split()
    assert '<script src="https://js.stripe.com/v3/"' in page.text
    assert 'data-testid="stripe-unavailable"' in page.text  # the message, hidden until needed


def test_reloading_the_payment_page_reuses_the_payment_intent(client, started, fake_stripe):
    order, *_rest = started
    client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    assert order.payments.count() == 1
    assert len(fake_stripe.intents) == 1


def test_3ds_approved_then_return_url_retrieves_expanded_and_pays(
    client, started, fake_stripe, mailoutbox, django_capture_on_commit_callbacks
):
    order, _module, payment, _page = started
    fake_stripe.confirm(payment.reference, "pm_card_threeDSecure2Required")
    assert fake_stripe.intent(payment.reference)["next_action"]["type"] == "use_stripe_sdk"
    return_url = reverse("shop:checkout-return", kwargs={"number": order.number})

    client.get(return_url)  # back before the challenge was answered: nothing changes
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.payments.get().status == PaymentStatus.REQUIRES_ACTION

    fake_stripe.authenticate(payment.reference, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(return_url + f"?payment_intent={payment.reference}")

    order.refresh_from_db()
    payment.refresh_from_db()
    assert response.status_code == 302
    retrieve = [
        r for r in fake_stripe.requests if r["path"] == f"/v1/payment_intents/{payment.reference}"
    ][-1]
    assert retrieve["params"]["expand"] == ["latest_charge", "payment_method"]
    # Paid, with the card's details from the expanded charge; the test card is
    # American, so the countries rule then holds the British order for review.
    # The confirmation, then the invoice.
    assert order.paid_at is not None and len(mailoutbox) == 2
    assert "invoice" in mailoutbox[1].subject
    assert (payment.card_brand, payment.card_last4, payment.card_country) == ("visa", "3155", "US")
    assert order.status == OrderStatus.HELD_FOR_REVIEW
    assert order.events.get(kind="fraud_hold").reason == "fraud rules: countries-differ"


def test_return_url_with_another_intent_id_in_the_query_is_ignored(client, started, fake_stripe):
    order, _module, payment, _page = started
    client.get(
        reverse("shop:checkout-return", kwargs={"number": order.number})
        + "?payment_intent=pi_forged&redirect_status=succeeded"
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_3ds_failed_on_return_cancels_and_releases_stock(client, started, fake_stripe):
    order, module, payment, _page = started
    fake_stripe.confirm(payment.reference, "pm_card_threeDSecure2Required")
    fake_stripe.authenticate(payment.reference, approve=False)

    client.get(reverse("shop:checkout-return", kwargs={"number": order.number}))

    order.refresh_from_db()
    module.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert module.stock == 5
    assert "failed authentication" in order.payments.get().failure_message


def test_webhook_succeeded_pays_once_and_a_redelivery_is_a_noop(
    client, started, fake_stripe, mailoutbox, django_capture_on_commit_callbacks
):
    order, module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    assert isinstance(intent["latest_charge"], str) and isinstance(intent["payment_method"], str)

    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, "payment_intent.succeeded", intent, event_id="evt_1")
        second = post_event(client, "payment_intent.succeeded", intent, event_id="evt_1")
        third = post_event(client, "payment_intent.succeeded", intent, event_id="evt_2")

    order.refresh_from_db()
    module.refresh_from_db()
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 200)
    assert order.status == OrderStatus.PAID
    assert len(mailoutbox) == 2  # the confirmation and the invoice, each once
    assert "invoice" in mailoutbox[1].subject
    assert module.stock == 3
    assert order.events.filter(kind="status", to_status="paid").count() == 1
    assert PaymentEvent.objects.filter(event_id="evt_1").count() == 1


@pytest.mark.parametrize(
    ("secret_key", "livemode"), [("sk_test_offtek", True), ("sk_live_offtek", False)]
)
def test_webhook_from_the_other_mode_is_refused(
    client, started, fake_stripe, settings, secret_key, livemode
):
    """A test-mode event never pays a live shop's order, nor a live event a test shop's."""
    order, _module, payment, _page = started
    settings.STRIPE_SECRET_KEY = secret_key
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    event = json.loads(event_payload("payment_intent.succeeded", intent))
    payload = json.dumps({**event, "livemode": livemode})
    response = client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, SECRET),
    )
    order.refresh_from_db()
    assert response.status_code == 400
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert not PaymentEvent.objects.exists()


@pytest.mark.parametrize(
    "how",
    ["unsigned", "wrong secret", "stale", "tampered", "garbage", "no data", "object not a dict"],
)
def test_bad_webhooks_get_400_and_write_nothing(client, started, fake_stripe, how):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    if how == "unsigned":
        response = post_event(client, "payment_intent.succeeded", intent, signature="")
    elif how == "wrong secret":
        response = post_event(client, "payment_intent.succeeded", intent, secret="whsec_other")
    elif how == "stale":
        response = post_event(
            client, "payment_intent.succeeded", intent, timestamp=int(time.time()) - 301
        )
    elif how == "tampered":
        payload = event_payload("payment_intent.succeeded", intent)
        header = sign(payload, SECRET)
        response = client.post(
            WEBHOOK,
            data=payload.replace('"amount": 4399', '"amount": 1'),
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
    elif how == "garbage":
        response = client.post(
            WEBHOOK, data="not json", content_type="application/json", HTTP_STRIPE_SIGNATURE="x"
        )
    elif how == "no data":
        response = post_raw(client, json.dumps({"id": "evt_x", "type": "payment_intent.succeeded"}))
    else:
        event = json.loads(event_payload("payment_intent.succeeded", intent))
        event["data"]["object"] = "pi_123"
        response = post_raw(client, json.dumps(event))
    order.refresh_from_db()
    assert response.status_code == 400
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert not PaymentEvent.objects.exists()


def test_webhook_within_tolerance_is_accepted(client, started, fake_stripe):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    response = post_event(
        client, "payment_intent.succeeded", intent, timestamp=int(time.time()) - 250
    )
    order.refresh_from_db()
    assert response.status_code == 200
    assert order.status == OrderStatus.PAID


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"amount": 4000, "amount_received": 4000}, "the items without delivery"),
        ({"amount": 100, "amount_received": 100}, "far too little"),
        ({"currency": "eur"}, "another currency"),
    ],
)
def test_webhook_with_the_wrong_amount_or_currency_does_not_pay(
    client, started, fake_stripe, change, why
):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    response = post_event(client, "payment_intent.succeeded", {**intent, **change})
    order.refresh_from_db()
    assert response.status_code == 200, why
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.events.filter(kind="payment_mismatch").exists()


def test_webhook_failure_cancels_a_pending_order(client, started, fake_stripe):
    order, module, payment, _page = started
    fake_stripe.confirm(payment.reference, "pm_card_chargeDeclinedInsufficientFunds")
    intent = fake_stripe.intent(payment.reference)
    assert intent["last_payment_error"]["decline_code"] == "insufficient_funds"

    post_event(client, "payment_intent.payment_failed", intent)

    order.refresh_from_db()
    module.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert module.stock == 5
    assert payment.failure_message == "Your card has insufficient funds."
    assert (payment.card_last4, payment.status) == ("9995", PaymentStatus.FAILED)


def test_late_failure_never_undoes_a_paid_order(client, started, fake_stripe):
    order, module, payment, _page = started
    intent = paid_by_webhook(client, fake_stripe, payment)
    failed = {
        **intent,
        "status": "requires_payment_method",
        "last_payment_error": {"type": "card_error", "message": "x"},
    }

    response = post_event(client, "payment_intent.payment_failed", failed)

    order.refresh_from_db()
    module.refresh_from_db()
    assert response.status_code == 200
    assert order.status == OrderStatus.PAID
    assert module.stock == 3
    assert order.payments.get().status == PaymentStatus.SUCCEEDED


def test_dispute_holds_a_paid_order_for_review(client, started, fake_stripe):
    order, _module, payment, _page = started
    paid_by_webhook(client, fake_stripe, payment)
    dispute = fake_stripe.dispute_for(payment.reference, "fraudulent")

    response = post_event(client, "charge.dispute.created", dispute)

    order.refresh_from_db()
    assert response.status_code == 200
    assert order.status == OrderStatus.HELD_FOR_REVIEW
    assert order.events.get(kind="dispute").reason == "dispute fraudulent"


def test_unknown_event_types_are_acknowledged_and_recorded(client, started):
    response = post_event(client, "customer.created", {"id": "cus_1", "object": "customer"})
    assert response.status_code == 200
    assert PaymentEvent.objects.get().outcome == "ignored"


def test_event_for_a_payment_we_do_not_know_is_acknowledged(client, started, fake_stripe):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    response = post_event(client, "payment_intent.succeeded", {**intent, "id": "pi_elsewhere"})
    order.refresh_from_db()
    assert response.status_code == 200
    assert PaymentEvent.objects.get().outcome == "unknown payment"
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_webhook_is_csrf_exempt_with_csrf_checks_on(started, fake_stripe):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    payload = json.dumps(json.loads(event_payload("payment_intent.succeeded", intent)))
    response = strict.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, SECRET),
    )
    assert response.status_code == 200


def test_stripe_unreachable_for_details_answers_503_so_stripe_sends_again(
    client, started, fake_stripe
):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    fake_stripe.throttle.extend([False])  # 429, and Stripe says not to retry

    first = post_event(client, "payment_intent.succeeded", intent, event_id="evt_again")
    second = post_event(client, "payment_intent.succeeded", intent, event_id="evt_again")

    order.refresh_from_db()
    assert (first.status_code, second.status_code) == (503, 200)
    assert order.status == OrderStatus.PAID


def test_a_429_with_stripe_should_retry_is_retried_with_the_same_idempotency_key(
    client, fake_stripe
):
    from privacy.tests.factories import UserFactory
    from shop.tests.factories import ModuleFactory
    from shop.tests.helpers import basket_add, checkout_place

    client.force_login(UserFactory())
    basket_add(client, ModuleFactory(stock=5, price_pence=2000), 1)
    order = checkout_place(client)
    fake_stripe.throttle.extend([True])

    page = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))

    creates = [r for r in fake_stripe.requests if r["path"] == "/v1/payment_intents"]
    assert page.status_code == 200
    assert len(creates) == 2 and creates[0]["idempotency_key"] == creates[1]["idempotency_key"]
    assert len(fake_stripe.intents) == 1


def test_a_429_stripe_says_not_to_retry_shows_a_message_not_an_error_page(client, fake_stripe):
    from privacy.tests.factories import UserFactory
    from shop.tests.factories import ModuleFactory
    from shop.tests.helpers import basket_add, checkout_place

    client.force_login(UserFactory())
    basket_add(client, ModuleFactory(stock=5, price_pence=2000), 1)
    order = checkout_place(client)
    fake_stripe.throttle.extend([False])

    page = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}), follow=True)

    assert page.status_code == 200
    assert "could not be started" in page.text
    assert not fake_stripe.intents
