"""Each PaymentIntent status has a defined effect; only `succeeded`, for the server's
amount (items + delivery) in the order's currency, pays."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shop.checkout.tasks import order_reservation_end, reservations_sweep
from shop.models import OrderStatus, PaymentStatus
from shop.orders.reservations import reservations_release_expired
from shop.tests.helpers import basket_add
from shop.tests.stripe_steps import post_event

pytestmark = pytest.mark.django_db
S = OrderStatus


def test_processing_does_not_pay_and_the_order_waits_for_the_outcome(
    client, started, fake_stripe, mailoutbox, django_capture_on_commit_callbacks
):
    order, module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb_processing")
    assert intent["status"] == "processing"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, "payment_intent.processing", intent)

    order.refresh_from_db()
    payment.refresh_from_db()
    assert response.status_code == 200
    assert payment.status == PaymentStatus.PROCESSING
    assert order.status == S.PENDING_PAYMENT and order.paid_at is None
    assert mailoutbox == []
    # Not abandoned while the bank decides, and the pay page does not start again.
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert reservations_release_expired() == 0
        # Nor by any path that releases reservations in production.
        assert order_reservation_end.call(order.pk) == 0
        assert reservations_sweep.call() == 0
        call_command("release_abandoned_orders", "--minutes", "0", stdout=io.StringIO())
        basket_add(client, module, 1)  # stock read for a sale releases expired holds
    order.refresh_from_db()
    assert order.status == S.PENDING_PAYMENT and order.stock_reserved
    page = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    assert page.status_code == 302 and "/done/" in page["Location"]
    done = client.get(page["Location"])
    assert "being processed" in done.text

    settled = fake_stripe.settle(payment.reference, succeed=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "payment_intent.succeeded", settled)
    order.refresh_from_db()
    # The confirmation, then the invoice.
    assert order.status == S.PAID and len(mailoutbox) == 2
    assert "invoice" in mailoutbox[1].subject


def test_processing_that_fails_cancels_the_order(client, started, fake_stripe):
    order, module, payment, _page = started
    post_event(
        client,
        "payment_intent.processing",
        fake_stripe.confirm(payment.reference, "pm_card_gb_processing"),
    )
    failed = fake_stripe.settle(payment.reference, succeed=False)

    post_event(client, "payment_intent.payment_failed", failed)

    order.refresh_from_db()
    module.refresh_from_db()
    assert order.status == S.CANCELLED and module.stock == 5


def test_processing_on_the_return_url_does_not_pay(client, started, fake_stripe):
    order, _module, payment, _page = started
    fake_stripe.confirm(payment.reference, "pm_card_gb_processing")

    client.get(reverse("shop:checkout-return", kwargs={"number": order.number}))

    order.refresh_from_db()
    assert order.status == S.PENDING_PAYMENT
    assert order.payments.get().status == PaymentStatus.PROCESSING


def test_requires_action_waits_for_the_customer(client, started, fake_stripe):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_threeDSecure2Required")

    response = post_event(client, "payment_intent.requires_action", intent)

    order.refresh_from_db()
    assert response.status_code == 200
    assert order.payments.get().status == PaymentStatus.REQUIRES_ACTION
    assert order.status == S.PENDING_PAYMENT
    # The pay page offers the same PaymentIntent again, for Stripe.js to authenticate.
    page = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    assert page.status_code == 200 and len(fake_stripe.intents) == 1


def test_requires_payment_method_without_an_error_changes_nothing(client, started, fake_stripe):
    order, _module, payment, _page = started
    intent = fake_stripe.intent(payment.reference)
    assert intent["status"] == "requires_payment_method" and intent["last_payment_error"] is None

    post_event(client, "payment_intent.created", intent)

    order.refresh_from_db()
    assert order.status == S.PENDING_PAYMENT
    assert order.payments.get().status == PaymentStatus.CREATED


def test_requires_payment_method_with_an_error_is_a_failure(client, started, fake_stripe):
    order, _module, payment, _page = started
    fake_stripe.confirm(payment.reference, "pm_card_chargeDeclined")

    post_event(client, "payment_intent.payment_failed", fake_stripe.intent(payment.reference))

    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert order.payments.get().status == PaymentStatus.FAILED


def test_canceled_is_a_failure(client, started, fake_stripe):
    from stripe import StripeClient

    order, _module, payment, _page = started
    StripeClient(
        "sk_test_offtek", base_addresses={"api": fake_stripe.url}
    ).v1.payment_intents.cancel(payment.reference)

    post_event(client, "payment_intent.canceled", fake_stripe.intent(payment.reference))

    order.refresh_from_db()
    assert order.status == S.CANCELLED


def test_succeeded_for_the_items_alone_does_not_pay(client, started, fake_stripe):
    """Stripe took the subtotal without delivery: not what the order costs."""
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    short = {**intent, "amount": order.subtotal_pence, "amount_received": order.subtotal_pence}

    post_event(client, "payment_intent.succeeded", short)

    order.refresh_from_db()
    assert order.status == S.PENDING_PAYMENT
    assert order.payments.get().status == PaymentStatus.CREATED


def test_the_full_card_flow_charges_items_plus_delivery_and_pays(client, started, fake_stripe):
    """What Stripe charges is what the server asked for: the intent's own amount."""
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    assert intent["amount_received"] == order.subtotal_pence + order.delivery_pence

    post_event(client, "payment_intent.succeeded", intent)

    order.refresh_from_db()
    assert order.status == S.PAID
