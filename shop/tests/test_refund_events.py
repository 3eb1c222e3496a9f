"""A refund Stripe reports is checked against its payment before anything counts: in
another currency, of zero or a negative amount, or beyond what the payment took, it is
refused with a 2xx answer (so that Stripe stops sending it), a log line and a flag
staff see on the order; never a 500, never counted. Really signed events, the real
SDK against the local fake."""

import logging

import pytest
from django.urls import reverse

from shop.models import OrderStatus, Refund
from shop.tests.stripe_steps import paid_by_webhook, post_event

pytestmark = pytest.mark.django_db
S = OrderStatus


@pytest.fixture
def paid(client, started, fake_stripe):
    order, _module, payment, _page = started
    paid_by_webhook(client, fake_stripe, payment)
    order.refresh_from_db()
    assert (order.status, order.total_pence, order.currency) == (S.PAID, 4399, "GBP")
    return order, payment


def dashboard_refund(fake_stripe, payment, made_for=1000, **change) -> dict:
    """A refund made in Stripe's Dashboard, settled, as its refund.updated event
    carries it (with `change` applied to the object Stripe signs)."""
    made = fake_stripe.refund_dashboard(payment.reference, made_for)
    return {**fake_stripe.refund_settle(made["id"], status="succeeded"), **change}


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"currency": "eur"}, "in EUR, the payment in GBP"),
        ({"amount": -500}, "-500 is not positive"),
        ({"amount": 0}, "0 is not positive"),
        ({"amount": 4400}, "would exceed the 4399 paid"),
    ],
)
def test_a_refund_that_does_not_fit_its_payment_is_refused_and_shown_to_staff(
    client, paid, fake_stripe, staff_client, caplog, change, why
):
    order, payment = paid
    refund = dashboard_refund(fake_stripe, payment, **change)

    with caplog.at_level(logging.WARNING, logger="shop.payments.refunds"):
        response = post_event(client, "refund.updated", refund, event_id="evt_refused")
        # Stripe would send it again only after an error answer; when it does, the
        # event is known.
        again = post_event(client, "refund.updated", refund, event_id="evt_refused")

    assert (response.status_code, again.status_code) == (200, 200)
    assert again.content == b"already processed"
    assert b"0 refund(s) recorded, 1 refused" in response.content
    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (S.PAID, 0)
    assert not Refund.objects.exists()
    [flag] = order.events.filter(kind="refund_refused")
    assert why in flag.reason and refund["id"] in flag.reason
    assert f"Refund refused on {order.number}" in caplog.text

    listing = staff_client.get(reverse("admin:shop_order_changelist"), {"refund_refused": "yes"})
    assert order.number in listing.text
    page = staff_client.get(reverse("admin:shop_order_change", args=[order.pk]))
    assert "was refused and not counted" in page.text and why in page.text


def test_a_refund_that_fits_is_counted_and_not_flagged(client, paid, fake_stripe, staff_client):
    """The control: the same event, untouched, counts."""
    order, payment = paid
    response = post_event(client, "refund.updated", dashboard_refund(fake_stripe, payment))
    assert b"1 refund(s) recorded" in response.content
    order.refresh_from_db()
    assert order.refunded_pence == 1000
    assert not order.events.filter(kind="refund_refused").exists()
    listing = staff_client.get(reverse("admin:shop_order_changelist"), {"refund_refused": "yes"})
    assert order.number not in listing.text


def test_refunds_that_add_up_beyond_the_payment_are_refused_past_the_total(
    client, paid, fake_stripe
):
    order, payment = paid
    post_event(client, "refund.updated", dashboard_refund(fake_stripe, payment, 4000))
    beyond = dashboard_refund(fake_stripe, payment, 300, amount=400)  # 4400 in all
    response = post_event(client, "refund.updated", beyond)
    assert response.status_code == 200 and b"1 refused" in response.content
    order.refresh_from_db()
    assert order.refunded_pence == 4000 and Refund.objects.count() == 1
    assert order.events.filter(kind="refund_refused").count() == 1
