import json
import time

import pytest
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.models import OrderStatus, PaymentEvent, PaymentStatus, Refund
from shop.payments.services import payment_refund
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import basket_add, checkout_place
from shop.tests.stripe_fake import event_payload, sign

pytestmark = pytest.mark.django_db

WEBHOOK = "/payments/stripe/webhook/"
SECRET = "whsec_test_offtek"


@pytest.fixture
def started(client, fake_stripe):
    """An order for 2 x £30.00 with its PaymentIntent created (stock 5 -> 3)."""
    client.force_login(UserFactory())
    module = ModuleFactory(stock=5, price_pence=3000)
    basket_add(client, module, 2)
    order = checkout_place(client)
    page = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    payment = order.payments.get()
    return order, module, payment, page


def post_event(client, kind, obj, *, event_id=None, secret=SECRET, timestamp=None, signature=None):
    payload = event_payload(kind, obj, event_id=event_id)
    header = signature if signature is not None else sign(payload, secret, timestamp=timestamp)
    return client.post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def test_payment_intent_is_created_server_side_with_the_servers_amount(started, fake_stripe):
    order, _module, payment, page = started
    create = next(r for r in fake_stripe.requests if r["path"] == "/v1/payment_intents")
    assert create["params"]["amount"] == str(order.total_pence) == "6000"
    assert create["params"]["currency"] == "gbp"
    assert create["params"]["metadata"] == {"order_number": order.number}
    assert create["idempotency_key"] == f"offtek-{order.number}-payment-intent"
    assert payment.reference.startswith("pi_")
    assert page.status_code == 200
    intent = fake_stripe.intents[payment.reference]
    assert intent["client_secret"] in page.text
    assert "https://js.stripe.com/v3/" in page.text
    assert "js/checkout-stripe.js" in page.text


def test_reloading_the_payment_page_reuses_the_payment_intent(client, started, fake_stripe):
    order, *_rest = started
    client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    assert order.payments.count() == 1
    assert len(fake_stripe.intents) == 1


def test_3ds_approved_then_return_url_retrieves_and_pays(
    client, started, fake_stripe, mailoutbox, django_capture_on_commit_callbacks
):
    order, _module, payment, _page = started
    fake_stripe.confirm(payment.reference, "pm_card_threeDSecure2Required")
    return_url = reverse("shop:checkout-return", kwargs={"number": order.number})

    client.get(return_url)  # back before the challenge was answered: nothing changes
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT

    fake_stripe.authenticate(payment.reference, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(return_url + f"?payment_intent={payment.reference}")

    order.refresh_from_db()
    assert response.status_code == 302
    assert order.status == OrderStatus.PAID
    assert len(mailoutbox) == 1
    assert any(
        r["method"] == "GET" and r["path"] == f"/v1/payment_intents/{payment.reference}"
        for r in fake_stripe.requests
    )


def test_return_url_with_another_intent_id_in_the_query_is_ignored(client, started, fake_stripe):
    order, _module, payment, _page = started
    # A forged query string claiming a payment that belongs to nothing of ours.
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


def test_webhook_succeeded_pays_once_and_a_redelivery_is_a_noop(
    client, started, fake_stripe, mailoutbox, django_capture_on_commit_callbacks
):
    order, module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")

    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, "payment_intent.succeeded", intent, event_id="evt_1")
        second = post_event(client, "payment_intent.succeeded", intent, event_id="evt_1")
        third = post_event(client, "payment_intent.succeeded", intent, event_id="evt_2")

    order.refresh_from_db()
    module.refresh_from_db()
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 200)
    assert order.status == OrderStatus.PAID
    assert len(mailoutbox) == 1
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
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
    payload = event_payload("payment_intent.succeeded", intent, livemode=livemode)
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
    ["unsigned", "wrong secret", "stale", "tampered", "garbage"],
)
def test_bad_webhooks_get_400_and_write_nothing(client, started, fake_stripe, how):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
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
            data=payload.replace('"amount": 6000', '"amount": 1'),
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
    else:
        response = client.post(
            WEBHOOK, data="not json", content_type="application/json", HTTP_STRIPE_SIGNATURE="x"
        )
    order.refresh_from_db()
    assert response.status_code == 400
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert not PaymentEvent.objects.exists()


def test_webhook_within_tolerance_is_accepted(client, started, fake_stripe):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
    response = post_event(
        client, "payment_intent.succeeded", intent, timestamp=int(time.time()) - 250
    )
    order.refresh_from_db()
    assert response.status_code == 200
    assert order.status == OrderStatus.PAID


def test_webhook_with_the_wrong_amount_does_not_pay(client, started, fake_stripe):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
    response = post_event(
        client, "payment_intent.succeeded", {**intent, "amount": 100, "amount_received": 100}
    )
    order.refresh_from_db()
    assert response.status_code == 200
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.events.filter(kind="payment_mismatch").exists()


def test_webhook_with_the_wrong_currency_does_not_pay(client, started, fake_stripe):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
    post_event(client, "payment_intent.succeeded", {**intent, "currency": "eur"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_webhook_failure_cancels_a_pending_order(client, started, fake_stripe):
    order, module, payment, _page = started
    fake_stripe.confirm(payment.reference, "pm_card_chargeDeclinedInsufficientFunds")
    intent = fake_stripe.intents[payment.reference]
    post_event(client, "payment_intent.payment_failed", intent)
    order.refresh_from_db()
    module.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert module.stock == 5
    assert order.payments.get().failure_message == "Your card has insufficient funds."


def test_late_failure_never_undoes_a_paid_order(client, started, fake_stripe):
    order, module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
    post_event(client, "payment_intent.succeeded", intent)
    failed = {**intent, "status": "requires_payment_method", "last_payment_error": {"message": "x"}}

    response = post_event(client, "payment_intent.payment_failed", failed)

    order.refresh_from_db()
    module.refresh_from_db()
    assert response.status_code == 200
    assert order.status == OrderStatus.PAID
    assert module.stock == 3
    assert order.payments.get().status == PaymentStatus.SUCCEEDED


def test_staff_refunds_partial_then_full_through_stripe_and_the_webhook_does_not_double_count(
    client, started, fake_stripe
):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
    post_event(client, "payment_intent.succeeded", intent)
    payment.refresh_from_db()

    payment_refund(payment=payment, amount_pence=1000, reason="one module returned")
    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (OrderStatus.PAID, 1000)

    post_event(client, "charge.refunded", fake_stripe.charge_for(payment.reference))
    order.refresh_from_db()
    assert order.refunded_pence == 1000

    payment_refund(payment=payment, amount_pence=5000, reason="the rest")
    post_event(client, "charge.refunded", fake_stripe.charge_for(payment.reference))
    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (OrderStatus.REFUNDED, 6000)
    assert Refund.objects.filter(payment=payment).count() == 2


def test_refund_made_in_the_stripe_dashboard_is_recorded_from_the_webhook(
    client, started, fake_stripe
):
    from stripe import StripeClient

    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
    post_event(client, "payment_intent.succeeded", intent)
    StripeClient("sk_test_offtek", base_addresses={"api": fake_stripe.url}).v1.refunds.create(
        params={"payment_intent": payment.reference, "amount": 6000}
    )

    post_event(client, "charge.refunded", fake_stripe.charge_for(payment.reference))

    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (OrderStatus.REFUNDED, 6000)


def test_dispute_holds_a_paid_order_for_review(client, started, fake_stripe):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
    post_event(client, "payment_intent.succeeded", intent)
    dispute = {"id": "dp_1", "object": "dispute", "payment_intent": payment.reference}
    dispute["reason"] = "fraudulent"

    post_event(client, "charge.dispute.created", dispute)

    order.refresh_from_db()
    assert order.status == OrderStatus.HELD_FOR_REVIEW


def test_unknown_event_types_are_acknowledged_and_recorded(client, started):
    response = post_event(client, "customer.created", {"id": "cus_1", "object": "customer"})
    assert response.status_code == 200
    assert PaymentEvent.objects.get().outcome == "ignored"


def test_webhook_is_csrf_exempt_with_csrf_checks_on(started, fake_stripe):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
    payload = json.dumps(json.loads(event_payload("payment_intent.succeeded", intent)))
    response = strict.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, SECRET),
    )
    assert response.status_code == 200


def test_refund_event_that_cannot_count_towards_the_order_is_acknowledged(
    client, started, fake_stripe
):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_visa")
    post_event(client, "payment_intent.succeeded", intent)
    charge = fake_stripe.charge_for(payment.reference)
    charge["refunds"]["data"] = [{"id": "re_odd", "amount": 999_999, "status": "succeeded"}]

    response = post_event(client, "charge.refunded", charge)

    order.refresh_from_db()
    assert response.status_code == 200
    assert (order.status, order.refunded_pence) == (OrderStatus.PAID, 0)
    assert not Refund.objects.exists()
