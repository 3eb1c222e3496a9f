"""An order keeps its market's currency for life: the gateways are asked for it, the
payment checks compare it, and the order page, e-mails, admin and the customer's
export show it."""

import pytest
from django.test import Client
from django.urls import reverse

from offtek.money import Money
from privacy.tests.factories import UserFactory
from shop.models import OrderStatus, Refund
from shop.payments.base import RefundResult
from shop.payments.refunds import RefundError, refund_record
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import paid_order
from shop.tests.helpers import ADDRESS, CARD_SUCCESS, basket_add, checkout_place, simulator_pay
from shop.tests.stripe_steps import post_event

pytestmark = pytest.mark.django_db

FRANCE = {**ADDRESS, "name": "Marie Curie", "city": "Paris", "postcode": "75005", "country": "FR"}


def french_order(client, *, price_eur_cents=2000, quantity=2):
    """A customer who shops in France: below free delivery, so €9.99 is added."""
    client.force_login(UserFactory(language="fr"))
    client.post(reverse("shop:market-switch"), {"market": "FR", "next": "/fr/"})
    module = ModuleFactory(stock=5, price_pence=1700, price_eur_cents=price_eur_cents)
    basket_add(client, module, quantity)
    order = checkout_place(client, **FRANCE)
    assert order is not None
    return order


def test_a_french_order_is_paid_in_euros_with_the_simulator(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    order = french_order(client)
    assert (order.currency, order.total) == ("EUR", Money(4999, "EUR"))

    start = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    card_page = client.get(start["Location"]).text
    assert "€49.99" in card_page and "£" not in card_page.split("<main")[1]
    with django_capture_on_commit_callbacks(execute=True):
        simulator_pay(client, order, CARD_SUCCESS)

    order.refresh_from_db()
    payment = order.payments.get()
    assert order.status == OrderStatus.PAID
    assert (payment.currency, payment.amount) == ("EUR", Money(4999, "EUR"))
    page = client.get(f"/fr/orders/{order.number}/").text
    assert "49,99\u00a0€" in page and "9,99\u00a0€" in page and "£" not in page.split("<main")[1]
    paid_email = next(m for m in mailoutbox if "commande" in m.subject)  # in French
    assert "49,99\u00a0€" in paid_email.body and "£" not in paid_email.body


def test_the_order_list_shows_each_order_in_its_own_currency(client):
    order = french_order(client)
    page = client.get("/en/orders/").text
    assert order.number in page and "€49.99" in page


def test_stripe_is_asked_for_euros_and_only_euros_pay_the_order(client, fake_stripe):
    order = french_order(client)
    client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    create = next(r for r in fake_stripe.requests if r["path"] == "/v1/payment_intents")
    assert (create["params"]["amount"], create["params"]["currency"]) == ("4999", "eur")
    payment = order.payments.get()
    intent = fake_stripe.confirm(payment.reference, "pm_card_fr")

    # The right number of the wrong currency pays nothing.
    post_event(client, "payment_intent.succeeded", {**intent, "currency": "gbp"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.events.filter(kind="payment_mismatch").exists()

    post_event(client, "payment_intent.succeeded", intent)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_refund_in_another_currency_is_refused_and_nothing_is_written():
    order = paid_order(currency="EUR", subtotal_pence=5299)
    payment = order.payments.get()
    in_pounds = RefundResult(
        reference="re_1", amount_pence=1000, currency="GBP", status="succeeded"
    )
    with pytest.raises(RefundError, match="The refund is in GBP, the payment in EUR"):
        refund_record(payment=payment, refund=in_pounds)
    order.refresh_from_db()
    assert not Refund.objects.exists() and order.refunded_pence == 0

    in_euros = RefundResult(reference="re_2", amount_pence=1000, currency="eur", status="succeeded")
    refund_record(payment=payment, refund=in_euros)
    order.refresh_from_db()
    assert order.refunded == Money(1000, "EUR")


def test_the_admin_shows_every_amount_with_its_currency(staff_client):
    order = paid_order(currency="EUR", subtotal_pence=5299)
    listing = staff_client.get("/en/admin/shop/order/").text
    assert "€52.99" in listing
    change = staff_client.get(f"/en/admin/shop/order/{order.pk}/change/").text
    assert "€52.99" in change and "5299" not in change
    payments = staff_client.get("/en/admin/shop/payment/").text
    assert "€52.99" in payments
    refund_page = staff_client.get(f"/en/admin/shop/order/{order.pk}/refund/").text
    assert "Paid €52.99" in refund_page


def test_a_refund_above_what_is_left_names_the_amounts_in_the_order_currency(staff_client):
    order = paid_order(currency="EUR", subtotal_pence=5299)
    response = staff_client.post(
        f"/en/admin/shop/order/{order.pk}/refund/",
        {"amount_pence": "999999", "reason": "too much"},
    )
    assert "Choose an amount between €0.01 and €52.99." in response.text
    assert not Refund.objects.exists()


@pytest.mark.parametrize(("language", "shown"), [("en", "€52.99"), ("fr", "52,99\u00a0€")])
def test_the_customer_export_carries_the_currency(language, shown):
    order = paid_order(currency="EUR", subtotal_pence=5299)
    client = Client()
    client.force_login(order.user)
    document = client.get(f"/{language}/account/my-data.json").json()
    sections = {section["key"]: section for section in document["sections"]}
    exported = sections["shop.order"]["rows"][0]
    assert exported["currency"] == "EUR" and exported["total_pence"] == 5299
    page = client.get(f"/{language}/account/my-data/").text
    assert shown in page
