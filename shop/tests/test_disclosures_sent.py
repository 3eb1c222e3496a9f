"""Every send to a processor is written to the disclosure ledger, named from what was
sent: e-mail and text messages, Stripe's PaymentIntent, the courier. (Each attempt at
a provider that is down, and what came of it: test_disclosure_attempts.py.)"""

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
    assert (email.purpose, email.categories, email.fields, email.outcome) == (
        "orders",
        ["contact"],
        ["email", "subject", "message"],
        "sent",
    )
    assert (sms.purpose, sms.fields, sms.reference, sms.outcome) == (
        "orders",
        ["phone", "message"],
        order.number,
        "sent",
    )
    assert len(mail.outbox) == 1 and len(MemorySmsBackend.outbox) == 1


def test_a_text_message_the_provider_refused_is_recorded_as_a_failed_attempt(
    django_capture_on_commit_callbacks,
):
    order = paid_order(delivery_phone="+447700900123")
    MemorySmsBackend.failures = 1
    with django_capture_on_commit_callbacks(execute=True):
        order_dispatch(order=order, courier="dpd", tracking_number="DPD1")
    assert order.sms_messages.get().status == SmsStatus.RETRYING
    assert [(row.fields, row.outcome) for row in rows(order.user, "email")] == [
        (["email", "subject", "message"], "sent"),
    ]
    assert [(row.fields, row.outcome) for row in rows(order.user, "sms")] == [
        (["phone", "message"], "failed"),
    ]


def test_an_email_the_provider_refused_is_a_failed_attempt_then_sent(
    settings, django_capture_on_commit_callbacks
):
    order = paid_order()
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingEmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        order_paid_email_send(order=order)
    email = OutgoingEmail.objects.get()
    assert email.status == OutboxStatus.RETRYING
    assert [(row.outcome, row.attempt) for row in rows(order.user, "email")] == [("failed", 1)]

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(email.next_attempt_at):
        call_command("email_resend", stdout=io.StringIO())
    failed, sent = rows(order.user, "email")
    assert (sent.purpose, sent.categories, sent.outcome, sent.attempt) == (
        "orders",
        ["contact"],
        "sent",
        2,
    )
    assert failed.fields == sent.fields  # the same message, tried twice


def stripe_pay_page(client):
    user = UserFactory()
    client.force_login(user)
    basket_add(client, ModuleFactory(stock=5, price_pence=3000), 1)
    order = checkout_place(client)
    page = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    return user, order, page


def test_stripe_is_recorded_once_it_accepted_the_payment_intent(client, fake_stripe):
    user, order, _page = stripe_pay_page(client)
    row, _browser = rows(user, "payment")
    assert (row.purpose, row.categories, row.fields, row.reference) == (
        "orders",
        ["transaction"],
        ["amount", "currency", "order number"],
        order.number,
    )
    # Reloading the page reuses the PaymentIntent: nothing new went to Stripe.
    client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    assert len(rows(user, "payment")) == 2


def test_the_gateway_writes_nothing_and_says_what_it_sent(client, fake_stripe):
    user = UserFactory()
    client.force_login(user)
    basket_add(client, ModuleFactory(stock=5, price_pence=3000), 1)
    order = checkout_place(client)
    payment = payment_create(order=order, gateway="stripe")
    start = StripeGateway().payment_start(order=order, payment=payment, return_url="/")
    assert [(item.purpose, item.fields) for item in start.disclosed] == [
        ("orders", ("amount", "currency", "order number")),
        ("fraud-prevention", ("ip address", "user agent")),
    ]
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
