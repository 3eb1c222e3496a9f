"""Refunds wherever they start (our admin, Stripe's Dashboard, automatic), recorded
once, counted only when Stripe says succeeded, failures shown to staff; partial
refunds add up and the order follows."""

import pytest
from django.urls import reverse

from shop.models import OrderStatus, Refund, RefundStatus
from shop.payments.refunds import RefundError, payment_refund
from shop.tests.stripe_steps import paid_by_webhook, post_event

pytestmark = pytest.mark.django_db
S = OrderStatus


@pytest.fixture
def paid(client, started, fake_stripe):
    order, module, payment, _page = started
    paid_by_webhook(client, fake_stripe, payment)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert order.status == S.PAID
    return order, payment


def test_an_admin_refund_is_pending_until_stripe_says_succeeded(client, paid, fake_stripe):
    order, payment = paid
    refund = payment_refund(payment=payment, amount_pence=1000, reason="one module returned")

    order.refresh_from_db()
    assert refund.status == RefundStatus.PENDING
    assert (order.status, order.refunded_pence) == (S.PAID, 0)

    settled = fake_stripe.refund_settle(refund.reference, status="succeeded")
    response = post_event(client, "refund.updated", settled, previous={"status": "pending"})

    order.refresh_from_db()
    refund.refresh_from_db()
    assert response.status_code == 200
    assert refund.status == RefundStatus.SUCCEEDED
    assert (order.status, order.refunded_pence) == (S.PAID, 1000)


def test_partial_refunds_add_up_and_the_order_follows_to_refunded(client, paid, fake_stripe):
    order, payment = paid
    first = payment_refund(payment=payment, amount_pence=1000, reason="one returned")
    with pytest.raises(RefundError):  # the pending 1000 is not refundable twice
        payment_refund(payment=payment, amount_pence=order.total_pence, reason="too much")
    second = payment_refund(payment=payment, amount_pence=order.total_pence - 1000, reason="rest")
    for refund in (first, second):
        settled = fake_stripe.refund_settle(refund.reference, status="succeeded")
        post_event(client, "refund.updated", settled)
    # Stripe also says charge.refunded: the same refunds, listed; nothing counts twice.
    post_event(client, "charge.refunded", fake_stripe.charge_for(payment.reference))

    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (S.REFUNDED, order.total_pence)
    assert Refund.objects.filter(payment=payment).count() == 2


def test_a_dashboard_refund_is_recorded_once_from_charge_refunded_and_refund_created(
    client, paid, fake_stripe
):
    order, payment = paid
    made = fake_stripe.refund_dashboard(payment.reference, 1500)
    settled = fake_stripe.refund_settle(made["id"], status="succeeded")
    charge = fake_stripe.charge_for(payment.reference)
    assert "refunds" not in charge  # as Stripe sends it since 2022-11-15

    first = post_event(client, "charge.refunded", charge)
    second = post_event(client, "refund.created", settled)

    order.refresh_from_db()
    assert first.status_code == second.status_code == 200
    assert b"1 refund(s) recorded" in first.content
    assert Refund.objects.get(payment=payment).amount_pence == 1500
    assert (order.status, order.refunded_pence) == (S.PAID, 1500)
    listing = [
        r for r in fake_stripe.requests if r["path"] == "/v1/refunds" and r["method"] == "GET"
    ]
    assert listing and listing[0]["params"]["charge"] == charge["id"]


def test_a_full_dashboard_refund_refunds_the_order(client, paid, fake_stripe):
    order, payment = paid
    made = fake_stripe.refund_dashboard(payment.reference, order.total_pence)
    post_event(client, "refund.created", made)  # pending: nothing counts yet
    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (S.PAID, 0)

    post_event(client, "refund.updated", fake_stripe.refund_settle(made["id"], status="succeeded"))

    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (S.REFUNDED, order.total_pence)


def test_a_refund_that_fails_later_is_uncounted_and_shown_to_staff(
    client, started, fake_stripe, staff_client
):
    order, _module, payment, _page = started
    paid_by_webhook(client, fake_stripe, payment, "pm_card_refundFail")
    payment.refresh_from_db()
    order.refresh_from_db()
    refund = payment_refund(payment=payment, amount_pence=2000, reason="goodwill")
    assert refund.status == RefundStatus.SUCCEEDED  # this card's refunds succeed, then fail
    order.refresh_from_db()
    assert order.refunded_pence == 2000

    failed = fake_stripe.refund_settle(refund.reference, status="failed")
    response = post_event(client, "refund.failed", failed)

    order.refresh_from_db()
    refund.refresh_from_db()
    assert response.status_code == 200
    assert (refund.status, refund.failure_reason) == (
        RefundStatus.FAILED,
        "expired_or_canceled_card",
    )
    assert order.refunded_pence == 0
    assert order.events.filter(kind="refund_failed").exists()
    page = staff_client.get(reverse("admin:shop_order_change", args=[order.pk]))
    assert "failed (expired_or_canceled_card)" in page.text


def test_a_refund_event_that_cannot_count_towards_the_order_is_acknowledged(
    client, paid, fake_stripe
):
    order, payment = paid
    made = fake_stripe.refund_dashboard(payment.reference, 1000)
    odd = {**fake_stripe.refund_settle(made["id"], status="succeeded"), "amount": 999_999}

    response = post_event(client, "refund.updated", odd)

    order.refresh_from_db()
    assert response.status_code == 200
    assert (order.status, order.refunded_pence) == (S.PAID, 0)
    assert not Refund.objects.exists()


def test_staff_refund_page_says_pending(paid, staff_client, fake_stripe):
    order, _payment = paid
    url = reverse("admin:shop_order_refund", args=[order.pk])
    page = staff_client.post(url, {"amount_pence": 500, "reason": "scratch"}, follow=True)
    assert "pending at the payment provider" in page.text
    order.refresh_from_db()
    assert order.refunded_pence == 0


def test_a_held_order_refused_in_review_is_refunded_once_stripe_confirms(
    client, paid, fake_stripe, staff_client
):
    order, payment = paid
    post_event(client, "charge.dispute.created", fake_stripe.dispute_for(payment.reference))
    order.refresh_from_db()
    assert order.status == S.HELD_FOR_REVIEW

    url = reverse("admin:shop_order_review", args=[order.pk])
    staff_client.post(url, {"decision": "refund", "reason": "Stolen card"})
    order.refresh_from_db()
    refund = Refund.objects.get(payment=payment)
    assert (refund.status, refund.amount_pence) == (RefundStatus.PENDING, order.total_pence)
    assert order.status == S.HELD_FOR_REVIEW and not order.stock_reserved

    settled = fake_stripe.refund_settle(refund.reference, status="succeeded")
    post_event(client, "refund.updated", settled)

    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (S.REFUNDED, order.total_pence)
