"""Races that only a real database with row locks can referee (PostgreSQL)."""

import pytest
from django.test import Client

from privacy.tests.races import racers_meet_at, run_together
from shop.basket.services import basket_line_add
from shop.checkout import services as checkout_services
from shop.checkout.services import CheckoutError, DeliveryAddress, order_place
from shop.models import Module, Order, OrderStatus
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import BasketFactory, BasketLineFactory, PaymentFactory
from shop.tests.stripe_fake import event_payload, sign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ADDRESS = DeliveryAddress(
    name="Ada Lovelace", line1="1 Road", line2="", city="London", postcode="N1 1AA", country="GB"
)
SECRET = "whsec_test_offtek"


@pytest.fixture
def both_read_before_either_writes():
    """Hold each racing checkout just after it has read the module, until the other
    has read it too. This makes the unlocked double sale happen every time instead of
    by chance."""
    with racers_meet_at(Module):
        yield


@pytest.mark.parametrize(
    ("locking", "orders_expected"),
    [(True, 1), (False, 2)],
    ids=["with-row-locks", "control-without-locks-oversells"],
)
def test_two_checkouts_for_the_last_unit(
    monkeypatch, both_read_before_either_writes, locking, orders_expected
):
    monkeypatch.setattr(checkout_services, "LOCK_STOCK", locking)
    module = ModuleFactory(stock=1)
    baskets = [BasketFactory(), BasketFactory()]
    for basket in baskets:
        BasketLineFactory(basket=basket, module=module, quantity=1)

    results = run_together(
        [
            lambda b=b: order_place(
                user=b.user, basket=b, address=ADDRESS, delivery_code="standard"
            )
            for b in baskets
        ]
    )

    module.refresh_from_db()
    assert Order.objects.count() == orders_expected
    assert module.stock == 0
    if locking:
        assert sorted(type(r).__name__ for r in results) == ["CheckoutError", "Order"]
        assert isinstance(next(r for r in results if not isinstance(r, Order)), CheckoutError)
    else:
        # The control: both sold the one module in stock.
        assert all(isinstance(r, Order) for r in results)


def test_one_basket_checked_out_twice_at_once_makes_one_order(both_read_before_either_writes):
    """A double click on "Place order": two requests turn the same basket into
    orders at the same moment. Only one may; the other finds the basket empty."""
    module = ModuleFactory(stock=10)
    basket = BasketFactory()
    BasketLineFactory(basket=basket, module=module, quantity=2)

    results = run_together(
        [
            lambda: order_place(
                user=basket.user, basket=basket, address=ADDRESS, delivery_code="standard"
            )
            for _click in range(2)
        ]
    )

    module.refresh_from_db()
    assert Order.objects.count() == 1
    assert module.stock == 8
    assert sorted(type(r).__name__ for r in results) == ["CheckoutError", "Order"]


def test_same_module_added_twice_at_once_makes_one_basket_line(both_read_before_either_writes):
    """A double click on "Add to basket" for a module not yet in the basket: both
    requests must succeed, adding up in one line (not a unique-constraint error)."""
    module = ModuleFactory(stock=10)
    basket = BasketFactory()

    results = run_together(
        [
            lambda: basket_line_add(basket=basket, module_id=module.pk, quantity=1)
            for _click in range(2)
        ]
    )

    assert [type(r).__name__ for r in results] == ["BasketLine", "BasketLine"]
    assert list(basket.lines.values_list("module_id", "quantity")) == [(module.pk, 2)]


def _stripe_order(settings, *, stock=5, quantity=2):
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    module = ModuleFactory(stock=stock, price_pence=2000)
    basket = BasketFactory()
    BasketLineFactory(basket=basket, module=module, quantity=quantity)
    order = order_place(user=basket.user, basket=basket, address=ADDRESS, delivery_code="standard")
    payment = PaymentFactory(order=order, gateway="stripe", reference="pi_race")
    return order, module, payment


def _deliver(payload: str):
    def post():
        return (
            Client()
            .post(
                "/payments/stripe/webhook/",
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=sign(payload, SECRET),
            )
            .status_code
        )

    return post


def test_same_success_webhook_twice_at_once_pays_once_and_mails_once(settings, mailoutbox):
    order, module, _payment = _stripe_order(settings)
    intent = {
        "id": "pi_race",
        "object": "payment_intent",
        "status": "succeeded",
        "amount": order.total_pence,
        "amount_received": order.total_pence,
        "currency": "gbp",
    }
    payload = event_payload("payment_intent.succeeded", intent, event_id="evt_race")

    statuses = run_together([_deliver(payload), _deliver(payload)])

    order.refresh_from_db()
    module.refresh_from_db()
    assert statuses == [200, 200]
    assert order.status == OrderStatus.PAID
    assert order.events.filter(kind="status", to_status="paid").count() == 1
    # The confirmation and the invoice, each once.
    assert len(mailoutbox) == 2
    assert sum("invoice" in message.subject for message in mailoutbox) == 1
    assert module.stock == 3  # reserved once at checkout, never moved again


def test_same_failure_webhook_twice_at_once_releases_stock_once(settings):
    order, module, _payment = _stripe_order(settings, stock=5, quantity=2)
    intent = {
        "id": "pi_race",
        "object": "payment_intent",
        "status": "requires_payment_method",
        "amount": order.total_pence,
        "currency": "gbp",
        "last_payment_error": {"message": "Your card was declined."},
    }
    payload = event_payload("payment_intent.payment_failed", intent, event_id="evt_fail_race")

    statuses = run_together([_deliver(payload), _deliver(payload)])

    order.refresh_from_db()
    module.refresh_from_db()
    assert statuses == [200, 200]
    assert order.status == OrderStatus.CANCELLED
    assert module.stock == 5
    assert order.events.filter(kind="stock_released").count() == 1
