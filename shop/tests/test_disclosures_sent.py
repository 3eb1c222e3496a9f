"""Every send to a processor is written to the disclosure ledger, and only a send the
processor accepted: e-mail and text messages, Stripe's PaymentIntent, the courier."""

import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from privacy.models import Disclosure, OutboxStatus, OutgoingEmail
from privacy.tests.factories import UserFactory
from shop.fulfilment.dispatch import order_dispatch
from shop.fulfilment.sms.memory import MemorySmsBackend
from shop.models import SmsStatus
from shop.orders.emails import order_paid_email_send
from shop.payments.services import payment_create
from shop.payments.stripe import StripeGateway
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import paid_order
from shop.tests.helpers import basket_add, checkout_place

pytestmark = pytest.mark.django_db


class RefusingEmailBackend:
    """An e-mail provider that takes nothing (as a server that is down)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the e-mail provider is down")


def rows(user, processor):
    return list(Disclosure.objects.filter(user=user, processor=processor).order_by("id"))


def test_dispatch_discloses_to_the_courier_the_email_and_the_sms_providers(
    django_capture_on_commit_callbacks,
):
    order = paid_order(delivery_phone="+447700900123")
    with django_capture_on_commit_callbacks(execute=True):
        order_dispatch(order=order, courier="dpd", tracking_number="DPD1")
    [courier] = rows(order.user, "couriers")
    assert (courier.purpose, courier.categories) == ("orders", ["contact", "identity"])
    [email] = rows(order.user, "email")
    [sms] = rows(order.user, "sms")
    assert (email.purpose, email.categories, email.fields) == (
        "orders",
        ["contact"],
        ["email", "message"],
    )
    assert (sms.purpose, sms.fields, sms.reference) == (
        "orders",
        ["phone", "message"],
        order.number,
    )
    assert len(mail.outbox) == 1 and len(MemorySmsBackend.outbox) == 1


def test_a_text_message_the_provider_refused_discloses_nothing(django_capture_on_commit_callbacks):
    order = paid_order(delivery_phone="+447700900123")
    MemorySmsBackend.failures = 1
    with django_capture_on_commit_callbacks(execute=True):
        order_dispatch(order=order, courier="dpd", tracking_number="DPD1")
    assert order.sms_messages.get().status == SmsStatus.RETRYING
    assert [row.fields for row in rows(order.user, "email")] == [["email", "message"]]


def test_an_email_the_provider_refused_discloses_nothing(
    settings, django_capture_on_commit_callbacks
):
    order = paid_order()
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingEmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        order_paid_email_send(order=order)
    email = OutgoingEmail.objects.get()
    assert (email.status, rows(order.user, "email")) == (OutboxStatus.RETRYING, [])

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(email.next_attempt_at):
        call_command("email_resend", stdout=io.StringIO())
    [row] = rows(order.user, "email")
    assert (row.purpose, row.categories) == ("orders", ["contact"])


def stripe_pay_page(client):
    user = UserFactory()
    client.force_login(user)
    basket_add(client, ModuleFactory(stock=5, price_pence=3000), 1)
    order = checkout_place(client)
    page = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    return user, order, page


def test_stripe_is_recorded_once_it_accepted_the_payment_intent(client, fake_stripe):
    user, order, _page = stripe_pay_page(client)
    [row] = rows(user, "payment")
    assert (row.purpose, row.categories, row.fields, row.reference) == (
        "orders",
        ["transaction"],
        ["amount", "currency", "order number"],
        order.number,
    )
    # Reloading the page reuses the PaymentIntent: nothing new went to Stripe.
    client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    assert len(rows(user, "payment")) == 1


def test_the_gateway_writes_nothing_and_says_what_it_sent(client, fake_stripe):
    user = UserFactory()
    client.force_login(user)
    basket_add(client, ModuleFactory(stock=5, price_pence=3000), 1)
    order = checkout_place(client)
    payment = payment_create(order=order, gateway="stripe")
    start = StripeGateway().payment_start(order=order, payment=payment, return_url="/")
    assert start.disclosed == ("amount", "currency", "order number")
    assert rows(user, "payment") == []  # the payment services record it, not the gateway
    # A resumed PaymentIntent sends nothing new.
    payment.reference = start.reference
    assert (
        StripeGateway().payment_start(order=order, payment=payment, return_url="/").disclosed == ()
    )


def test_a_payment_intent_stripe_refused_discloses_nothing(client, fake_stripe, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_wrong"
    user, order, _page = stripe_pay_page(client)
    assert not order.payments.exclude(reference="").exists()  # Stripe made no intent
    assert rows(user, "payment") == []
