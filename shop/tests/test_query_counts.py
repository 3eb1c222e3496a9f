"""Each checkout step costs the same number of queries for 1 line as for 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.models import Order, Payment
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import ADDRESS, CARD_CHALLENGE, shown_prices_in

pytestmark = pytest.mark.django_db


def purchase_query_counts(client, lines: int) -> dict[str, int]:
    user = UserFactory()
    client.force_login(user)
    for _ in range(lines):
        client.post(
            reverse("shop:basket-add"), {"module": ModuleFactory(stock=5).pk, "quantity": 2}
        )
    counts = {}

    def step(name, call):
        with CaptureQueriesContext(connection) as queries:
            response = call()
        assert response.status_code in (200, 302), (name, response.status_code)
        counts[name] = len(queries)
        return response

    step("basket", lambda: client.get(reverse("shop:basket-detail")))
    form = step("checkout form", lambda: client.get(reverse("shop:checkout")))
    shown = shown_prices_in(form.content.decode())
    step("place order", lambda: client.post(reverse("shop:checkout"), {**ADDRESS, **shown}))
    order = Order.objects.get(user=user)
    assert order.lines.count() == lines
    number = order.number
    start = step("start payment", lambda: client.get(reverse("shop:checkout-pay", args=[number])))
    step("card form", lambda: client.get(start["Location"]))
    step(
        "card submit",
        lambda: client.post(
            start["Location"], {"number": CARD_CHALLENGE, "expiry": "12/39", "cvc": "123"}
        ),
    )
    payment = Payment.objects.get(order=order)
    challenge = reverse("shop:simulator-challenge", args=[number, payment.pk])
    step("3-D Secure approve", lambda: client.post(challenge, {"decision": "approve"}))
    step("confirmation", lambda: client.get(reverse("shop:checkout-done", args=[number])))
    order.refresh_from_db()
    assert order.status == "paid"
    client.logout()
    return counts


def test_queries_per_checkout_step_do_not_grow_with_basket_lines(client):
    one = purchase_query_counts(client, 1)
    ten = purchase_query_counts(client, 10)
    assert one == ten, {k: (one[k], ten[k]) for k in one if one[k] != ten[k]}
    assert max(one.values()) <= 40
