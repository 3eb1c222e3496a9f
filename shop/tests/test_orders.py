from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from privacy.tests.factories import UserFactory
from shop.checkout.services import DeliveryAddress, order_place
from shop.models import Order, OrderEvent, OrderStatus, PaymentStatus, Refund
from shop.orders.services import TRANSITIONS, IllegalTransition, order_transition
from shop.payments.base import GatewayResult, Happened
from shop.payments.services import payment_apply
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import (
    BasketFactory,
    BasketLineFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
)
from shop.tests.helpers import CARD_SUCCESS, basket_add, checkout_place, simulator_pay

pytestmark = pytest.mark.django_db

S = OrderStatus
ADDRESS = DeliveryAddress(
    name="Ada Lovelace", line1="1 Road", line2="", city="London", postcode="N1 1AA", country="GB"
)


def placed_order(*, stock=5, quantity=2, user=None):
    module = ModuleFactory(stock=stock, price_pence=2000)
    basket = BasketFactory(**({"user": user} if user else {}))
    BasketLineFactory(basket=basket, module=module, quantity=quantity)
    order = order_place(user=basket.user, basket=basket, address=ADDRESS, delivery_code="standard")
    return order, module


def test_every_status_has_a_row_in_the_transition_table():
    assert set(TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(
    ("path", "end"),
    [
        ([S.PAID, S.DISPATCHED, S.DELIVERED], S.DELIVERED),
        ([S.PAID, S.HELD_FOR_REVIEW, S.REFUNDED], S.REFUNDED),
        ([S.PAID, S.REFUNDED], S.REFUNDED),
        ([S.CANCELLED], S.CANCELLED),
    ],
)
def test_legal_paths(path, end):
    order = OrderFactory()
    for status in path:
        assert order_transition(order=order, to=status, reason="test") is True
    order.refresh_from_db()
    assert order.status == end
    assert order.events.filter(kind="status").count() == len(path)
    assert order.history.count() >= 1 + len(path)
    assert order.history.first().status == end


@pytest.mark.parametrize(
    ("start_path", "illegal"),
    [
        ([], S.DISPATCHED),
        ([], S.REFUNDED),
        ([S.PAID, S.DISPATCHED], S.CANCELLED),
        ([S.PAID], S.PENDING_PAYMENT),
        ([S.PAID, S.REFUNDED], S.PAID),
        ([S.CANCELLED], S.DISPATCHED),
    ],
)
def test_illegal_moves_raise_and_change_nothing(start_path, illegal):
    order = OrderFactory()
    for status in start_path:
        order_transition(order=order, to=status)
    before = order.status
    with pytest.raises(IllegalTransition):
        order_transition(order=order, to=illegal)
    order.refresh_from_db()
    assert order.status == before


def test_a_held_order_goes_back_to_paid_only_by_a_staff_member():
    order = OrderFactory()
    order_transition(order=order, to=S.PAID)
    order_transition(order=order, to=S.HELD_FOR_REVIEW)
    for by in (None, UserFactory(is_staff=False)):
        with pytest.raises(IllegalTransition):
            order_transition(order=order, to=S.PAID, by=by)
        order.refresh_from_db()
        assert order.status == S.HELD_FOR_REVIEW
    assert order_transition(order=order, to=S.PAID, by=UserFactory(is_staff=True)) is True
    assert order_transition(order=order, to=S.DISPATCHED) is True


def test_transition_to_the_current_status_is_a_noop():
    order = OrderFactory()
    order_transition(order=order, to=S.PAID)
    assert order_transition(order=order, to=S.PAID) is False
    assert order.events.filter(kind="status").count() == 1


def test_cancelling_releases_stock_once():
    order, module = placed_order(stock=5, quantity=2)
    module.refresh_from_db()
    assert module.stock == 3
    order_transition(order=order, to=S.CANCELLED, reason="test")
    order_transition(order=order, to=S.CANCELLED, reason="again")
    module.refresh_from_db()
    assert module.stock == 5
    assert module.history.first().history_change_reason == f"released by {order.number}"


def test_release_abandoned_orders_command():
    old, old_module = placed_order()
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        call_command("release_abandoned_orders")
    old.refresh_from_db()
    assert old.status == S.PENDING_PAYMENT

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        fresh, fresh_module = placed_order()
        call_command("release_abandoned_orders")
    old.refresh_from_db()
    fresh.refresh_from_db()
    old_module.refresh_from_db()
    assert old.status == S.CANCELLED and old_module.stock == 5
    assert fresh.status == S.PENDING_PAYMENT


def paid(payment, order) -> bool:
    """The provider says `payment` succeeded for the order's amount: True when this
    made the order paid."""
    result = GatewayResult(
        happened=Happened.SUCCEEDED, amount_pence=order.total_pence, currency="GBP"
    )
    return payment_apply(payment=payment, result=result) == "paid"


def test_late_success_on_an_abandoned_order_reserves_stock_again_and_pays():
    order, module = placed_order(stock=5, quantity=2)
    payment = PaymentFactory(order=order)
    order_transition(order=order, to=S.CANCELLED, reason="abandoned")

    assert paid(payment, order)

    order.refresh_from_db()
    module.refresh_from_db()
    assert order.status == S.PAID and order.stock_reserved
    assert module.stock == 3


def test_late_success_when_stock_is_gone_refunds_and_tells_the_customer(
    mailoutbox, django_capture_on_commit_callbacks
):
    order, module = placed_order(stock=2, quantity=2)
    payment = PaymentFactory(order=order)
    order_transition(order=order, to=S.CANCELLED, reason="abandoned")
    placed_order_for_same = BasketFactory()
    BasketLineFactory(basket=placed_order_for_same, module=module, quantity=2)
    order_place(
        user=placed_order_for_same.user,
        basket=placed_order_for_same,
        address=ADDRESS,
        delivery_code="standard",
    )

    with django_capture_on_commit_callbacks(execute=True):
        changed = paid(payment, order)

    order.refresh_from_db()
    module.refresh_from_db()
    assert changed is False
    assert order.status == S.CANCELLED
    assert module.stock == 0
    assert Refund.objects.get(payment=payment).amount_pence == order.total_pence
    assert len(mailoutbox) == 1 and "refunded" in mailoutbox[0].body

    # The same news again (a webhook after the return URL), even once stock is back:
    # no second refund, no second e-mail, and the refunded order is not revived.
    module.stock = 10
    module.save()
    with django_capture_on_commit_callbacks(execute=True):
        again = paid(payment, order)
    order.refresh_from_db()
    assert again is False
    assert order.status == S.CANCELLED
    assert Refund.objects.filter(payment=payment).count() == 1
    assert len(mailoutbox) == 1


def test_a_second_successful_payment_for_a_paid_order_is_refunded():
    order, module = placed_order()
    first = PaymentFactory(order=order)
    second = PaymentFactory(order=order)
    paid(first, order)

    changed = paid(second, order)

    order.refresh_from_db()
    module.refresh_from_db()
    assert changed is False
    assert order.status == S.PAID and order.refunded_pence == 0
    assert Refund.objects.get().payment == second
    assert module.stock == 3
    paid(second, order)
    assert Refund.objects.count() == 1
    assert order.events.filter(kind="status", to_status="paid").count() == 1


def test_confirmation_email_in_the_customers_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(language="fr")
    client.force_login(user)
    basket_add(client, ModuleFactory())
    order = checkout_place(client)
    with django_capture_on_commit_callbacks(execute=True):
        simulator_pay(client, order, CARD_SUCCESS)
    message = mailoutbox[0]
    assert message.subject.startswith("Votre commande Offtek")
    assert "Merci pour votre commande" in message.body
    assert "Merci pour votre commande" in message.alternatives[0].content


def test_order_history_lists_only_my_orders(client):
    me = UserFactory()
    mine = OrderFactory(user=me)
    theirs = OrderFactory()
    client.force_login(me)
    page = client.get(reverse("shop:order-list"))
    assert mine.number in page.text and theirs.number not in page.text
    detail = client.get(reverse("shop:order-detail", kwargs={"number": mine.number}))
    assert detail.status_code == 200 and "Ada Lovelace" in detail.text
    other = client.get(reverse("shop:order-detail", kwargs={"number": theirs.number}))
    assert other.status_code == 404


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type="totp", data={"secret": "x"})
    client.force_login(staff)
    return client


def test_admin_lists_and_filters_orders(staff_client, django_assert_max_num_queries):
    OrderFactory.create_batch(3)
    paid = OrderFactory()
    order_transition(order=paid, to=S.PAID)
    with django_assert_max_num_queries(15):
        response = staff_client.get(reverse("admin:shop_order_changelist") + "?status__exact=paid")
    assert response.status_code == 200
    assert paid.number in response.text
    assert response.text.count("OT-2026-") >= 1
    detail = staff_client.get(reverse("admin:shop_order_change", args=[paid.pk]))
    assert detail.status_code == 200
    history = staff_client.get(reverse("admin:shop_order_history", args=[paid.pk]))
    assert history.status_code == 200


def test_admin_partial_then_full_refund_through_the_simulator(staff_client):
    order, _module = placed_order()
    payment = PaymentFactory(order=order)
    paid(payment, order)
    url = reverse("admin:shop_order_refund", args=[order.pk])

    response = staff_client.post(url, {"amount_pence": 1500, "reason": "one returned"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (S.PAID, 1500)

    too_much = staff_client.post(url, {"amount_pence": order.total_pence, "reason": "oops"})
    assert too_much.status_code == 200
    order.refresh_from_db()
    assert order.refunded_pence == 1500

    staff_client.post(url, {"amount_pence": "", "reason": "the rest"})
    order.refresh_from_db()
    assert (order.status, order.refunded_pence) == (S.REFUNDED, order.total_pence)
    assert Refund.objects.filter(payment=payment).count() == 2


def test_admin_refund_action_leads_to_the_refund_form(staff_client):
    order = OrderFactory()
    response = staff_client.post(
        reverse("admin:shop_order_changelist"),
        {"action": "refund_action", "_selected_action": [order.pk]},
    )
    assert response["Location"] == reverse("admin:shop_order_refund", args=[order.pk])
    page = staff_client.get(response["Location"])
    assert "no successful payment" in page.text


def test_admin_requires_mfa(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(reverse("admin:shop_order_changelist"))
    assert response.status_code == 302


def test_order_numbers_are_unique_and_unguessable():
    numbers = {placed_order()[0].number for _ in range(20)}
    assert len(numbers) == 20
    assert all(n[8:].isalnum() and n[8:].isupper() for n in numbers)
    assert Order.objects.count() == 20
    assert OrderEvent.objects.filter(kind="placed").count() == 20
    assert PaymentStatus.CREATED == "created"


def test_admin_dispatch_action_goes_through_the_state_machine(staff_client):
    paid = OrderFactory()
    order_transition(order=paid, to=S.PAID)
    pending = OrderFactory()
    response = staff_client.post(
        reverse("admin:shop_order_changelist"),
        {"action": "dispatch_action", "_selected_action": [paid.pk, pending.pk]},
    )
    form_page = staff_client.get(response["Location"])
    assert f"{pending.number} (Awaiting payment)" in form_page.text
    staff_client.post(
        response["Location"], {"courier": "dpd", f"tracking_{paid.pk}": "DPD123"}, follow=True
    )
    paid.refresh_from_db()
    pending.refresh_from_db()
    assert (paid.status, pending.status) == (S.DISPATCHED, S.PENDING_PAYMENT)
    assert paid.events.filter(to_status=S.DISPATCHED, reason__startswith="staff #").exists()


def test_order_list_queries_do_not_grow_with_orders(client, django_assert_max_num_queries):
    me = UserFactory()
    for _ in range(10):
        OrderLineFactory(order=OrderFactory(user=me))
    client.force_login(me)
    client.get(reverse("shop:order-list"))  # the header's basket count goes into the session
    # The signed-in customer (the session is in the cache) and their orders.
    with django_assert_max_num_queries(2):
        page = client.get(reverse("shop:order-list"))
    assert page.text.count("/en/orders/OT-") == 10


def test_order_list_headings_follow_the_language(client):
    me = UserFactory()
    OrderFactory(user=me)
    client.force_login(me)
    assert '<th scope="col">Order</th>' in client.get("/en/orders/").text
    assert '<th scope="col">Commande</th>' in client.get("/fr/orders/").text
