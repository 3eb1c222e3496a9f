"""Fraud rules at their boundaries, holds on payment, and the staff review queue."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.checkout.networks import client_ip_hash
from shop.fraud.rules import RULES
from shop.fraud.services import fraud_rules_tripped
from shop.models import OrderEvent, OrderStatus, Payment, PaymentStatus
from shop.orders.services import order_transition
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import (
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    paid_order,
)
from shop.tests.helpers import CARD_SUCCESS, basket_add, checkout_place, simulator_pay

pytestmark = pytest.mark.django_db
S = OrderStatus
NOW = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)


def tripped(order, payment, code):
    rule = next(rule for rule in RULES if rule.code == code)
    return bool(fraud_rules_tripped(order=order, payment=payment, rules=[rule], now=NOW))


@pytest.mark.parametrize(
    ("field", "value", "code", "expected"),
    [
        ("risk_level", "normal", "risk-elevated", False),
        ("risk_level", "elevated", "risk-elevated", True),
        ("risk_level", "highest", "risk-elevated", True),
        ("cvc_check", "pass", "cvc-failed", False),
        ("cvc_check", "unavailable", "cvc-failed", False),
        ("cvc_check", "fail", "cvc-failed", True),
        ("postcode_check", "pass", "postcode-failed", False),
        ("postcode_check", "fail", "postcode-failed", True),
    ],
)
def test_card_check_and_risk_rules(field, value, code, expected):
    payment = PaymentFactory(**{field: value})
    assert tripped(payment.order, payment, code) is expected


@pytest.mark.parametrize(
    ("card", "delivery", "expected"),
    [("", "GB", False), ("GB", "GB", False), ("gb", "GB", False), ("FR", "GB", True)],
)
def test_card_country_against_delivery_country(card, delivery, expected):
    payment = PaymentFactory(card_country=card, order__delivery_country=delivery)
    assert tripped(payment.order, payment, "countries-differ") is expected


@pytest.mark.parametrize(("quantity", "expected"), [(10, False), (11, True)])
def test_large_quantity_of_one_module(quantity, expected):
    line = OrderLineFactory(quantity=quantity)
    payment = PaymentFactory(order=line.order)
    assert tripped(line.order, payment, "large-quantity") is expected


def failed_payments(count, *, at, **order_kwargs):
    with time_machine.travel(at, tick=False):
        for _ in range(count):
            PaymentFactory(order=OrderFactory(**order_kwargs), status=PaymentStatus.FAILED)


@pytest.mark.parametrize(("failures", "expected"), [(2, False), (3, True)])
def test_failed_payments_per_account(failures, expected):
    user = UserFactory()
    failed_payments(failures, at=NOW - datetime.timedelta(hours=1), user=user)
    order = OrderFactory(user=user)
    payment = PaymentFactory(order=order)
    assert tripped(order, payment, "failed-payments-account") is expected


def test_failed_payments_older_than_the_window_do_not_count():
    user = UserFactory()
    failed_payments(3, at=NOW - datetime.timedelta(hours=24, seconds=1), user=user)
    order = OrderFactory(user=user)
    assert not tripped(order, PaymentFactory(order=order), "failed-payments-account")
    failed_payments(1, at=NOW - datetime.timedelta(hours=24), user=user)
    assert not tripped(order, PaymentFactory(order=order), "failed-payments-account")


@pytest.mark.parametrize(("failures", "expected"), [(4, False), (5, True)])
def test_failed_payments_per_network_across_accounts(failures, expected):
    network = client_ip_hash("203.0.113.9")
    failed_payments(failures, at=NOW - datetime.timedelta(hours=2), client_ip_hash=network)
    order = OrderFactory(client_ip_hash=network)
    assert tripped(order, PaymentFactory(order=order), "failed-payments-network") is expected
    other = OrderFactory(client_ip_hash=client_ip_hash("198.51.100.1"))
    assert not tripped(other, PaymentFactory(order=other), "failed-payments-network")


@pytest.fixture
def placed(client):
    user = UserFactory()
    client.force_login(user)
    basket_add(client, ModuleFactory(stock=5), 1)
    return checkout_place(client)


@pytest.mark.parametrize(
    ("card", "status", "rules"),
    [
        (CARD_SUCCESS, S.PAID, ""),
        ("4000 0000 0000 9235", S.HELD_FOR_REVIEW, "risk-elevated"),
        ("4000 0000 0000 0101", S.HELD_FOR_REVIEW, "cvc-failed"),
        ("4000 0000 0000 0036", S.HELD_FOR_REVIEW, "postcode-failed"),
        ("4000 0082 6000 0000", S.PAID, ""),  # a British card for a British address
        ("4000 0025 0000 0003", S.HELD_FOR_REVIEW, "countries-differ"),  # a French card
    ],
)
def test_simulator_card_checks_hold_the_order_with_the_rule_recorded(
    client, placed, card, status, rules
):
    simulator_pay(client, placed, card)
    placed.refresh_from_db()
    assert placed.status == status
    holds = list(OrderEvent.objects.filter(order=placed, kind="fraud_hold"))
    assert [event.reason for event in holds] == ([f"fraud rules: {rules}"] if rules else [])
    payment = Payment.objects.get(order=placed)
    assert payment.status == PaymentStatus.SUCCEEDED and payment.risk_level


def test_checkout_records_the_customers_network_as_a_keyed_hash(client, placed):
    assert placed.client_ip_hash == client_ip_hash("127.0.0.1")
    assert "127.0.0.1" not in placed.client_ip_hash


# The review queue ------------------------------------------------------------------


def held_order():
    order = paid_order()
    order_transition(order=order, to=S.HELD_FOR_REVIEW, reason="fraud rules: risk-elevated")
    return order


def test_the_review_queue_lists_only_held_orders(staff_client):
    held, paid = held_order(), paid_order()
    page = staff_client.get(reverse("admin:shop_order_changelist"), {"review": "held"})
    assert held.number in page.text and paid.number not in page.text


def test_staff_release_a_held_order_with_a_reason(staff_client):
    order = held_order()
    url = reverse("admin:shop_order_review", args=[order.pk])
    assert "risk-elevated" in staff_client.get(url).text
    staff_client.post(url, {"decision": "release", "reason": "Called the customer"})
    order.refresh_from_db()
    assert order.status == S.PAID
    assert order.events.filter(kind="review_released", reason="Called the customer").exists()


def test_staff_refund_a_held_order_with_a_reason_and_its_stock_comes_back(staff_client):
    order = held_order()
    module = order.lines.get().module
    stock = module.stock
    url = reverse("admin:shop_order_review", args=[order.pk])
    staff_client.post(url, {"decision": "refund", "reason": "Stolen card"})
    order.refresh_from_db()
    module.refresh_from_db()
    assert order.status == S.REFUNDED and order.refunded_pence == order.total_pence
    assert module.stock == stock + 1 and not order.stock_reserved
    assert order.events.filter(kind="review_refused", reason="Stolen card").exists()


def test_a_review_decision_without_a_reason_changes_nothing(staff_client):
    order = held_order()
    url = reverse("admin:shop_order_review", args=[order.pk])
    response = staff_client.post(url, {"decision": "release", "reason": ""})
    assert response.status_code == 200 and "This field is required" in response.text
    order.refresh_from_db()
    assert order.status == S.HELD_FOR_REVIEW


def test_a_review_decision_on_an_order_not_held_is_refused(staff_client):
    order = paid_order()
    url = reverse("admin:shop_order_review", args=[order.pk])
    response = staff_client.post(url, {"decision": "refund", "reason": "x"}, follow=True)
    assert "is not held for review" in response.text
    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (S.PAID, 0)


def test_stripe_card_checks_and_risk_are_read_from_the_charge_or_the_payment_method():
    from shop.payments.stripe import _card_details

    method = {"card": {"brand": "visa", "country": "GB", "checks": {"cvc_check": "pass"}}}
    charge = {
        "outcome": {"risk_level": "elevated"},
        "payment_method_details": {
            "card": {
                "brand": "visa",
                "last4": "3184",
                "country": "FR",
                "checks": {"cvc_check": "fail", "address_postal_code_check": "pass"},
            }
        },
    }
    assert _card_details(charge, method) == {
        "card_brand": "visa",
        "card_last4": "3184",
        "card_country": "FR",
        "cvc_check": "fail",
        "postcode_check": "pass",
        "risk_level": "elevated",
    }
    # Without a charge (e.g. a failed attempt), the payment method's own card counts.
    assert _card_details(None, method) == {
        "card_brand": "visa",
        "card_country": "GB",
        "cvc_check": "pass",
    }


def test_review_queue_query_count_is_pinned(staff_client, django_assert_max_num_queries):
    for _ in range(3):
        held_order()
    with django_assert_max_num_queries(15):
        page = staff_client.get(reverse("admin:shop_order_changelist"), {"review": "held"})
    assert page.status_code == 200
