"""The disclosure ledger tells each attempt at a processor and what came of it, and
names what was handed over from the payload itself: an e-mail to a mail server that
is down or refuses, a text message to a provider that is down, Stripe's request and
what Stripe.js sends from the browser, the review invitation."""

import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from bench.server import free_port
from bench.stack import MailServer
from privacy.disclosures import DisclosureNotAllowed
from privacy.emails import email_send
from privacy.models import Disclosure, OutboxStatus, OutgoingEmail
from shop.fulfilment.dispatch import order_dispatch
from shop.fulfilment.reviews import services as reviews
from shop.fulfilment.reviews.memory import MemoryReviewProvider
from shop.models import ReviewInvitation, SmsStatus
from shop.orders.emails import order_paid_email_send
from shop.tests.factories_orders import paid_order
from shop.tests.provider_fake import TOKEN, FakeProvider
from shop.tests.stripe_steps import post_event
from shop.tests.test_disclosures_sent import rows, stripe_pay_page
from shop.tests.test_reviews import delivered_order, run

pytestmark = pytest.mark.django_db


def attempts(user, processor):
    return [(row.outcome, row.attempt) for row in rows(user, processor)]


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on 127.0.0.1 (down until the test brings it up), and the
    site's SMTP backend pointed at it."""
    server = MailServer()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.down()


def test_a_mail_server_that_is_down_is_a_failed_attempt_then_a_sent_one_on_the_retry(
    mail_server, client, django_capture_on_commit_callbacks
):
    order = paid_order()
    with django_capture_on_commit_callbacks(execute=True):
        order_paid_email_send(order=order)
    email = OutgoingEmail.objects.get()
    assert email.status == OutboxStatus.RETRYING
    [failed] = rows(order.user, "email")
    assert (failed.outcome, failed.attempt, failed.purpose) == ("failed", 1, "orders")
    assert failed.fields == ["email", "subject", "message"]

    mail_server.up()
    with time_machine.travel(email.next_attempt_at):
        call_command("email_resend", stdout=io.StringIO())
    assert mail_server.recipients() == [order.user.email]
    assert attempts(order.user, "email") == [("failed", 1), ("sent", 2)]

    # The customer sees both attempts on their page and in their export.
    client.force_login(order.user)
    page = client.get(reverse("privacy:disclosures")).content.decode()
    assert "failed, to be tried again" in page and "received" in page
    assert "attempt 2, a retry" in page
    export = json.loads(client.get(reverse("privacy:export-download")).content)
    ledger = [(row["outcome"], row["attempt"], row["outcome_name"]) for row in disclosed(export)]
    assert sorted(ledger) == [("failed", 1, "failed, to be tried again"), ("sent", 2, "received")]
    readable = client.get(reverse("privacy:export")).content.decode()
    assert "failed, to be tried again" in readable


def disclosed(export) -> list:
    """The disclosure rows of an export, wherever its layout puts them."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            if "processor_name" in value and "outcome" in value:
                found.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(export)
    return found


class RefusingRecipients:
    """An SMTP server's answer to every recipient: 550, this address is refused."""

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        return "550 5.1.1 mailbox unavailable"


def test_a_mail_server_that_refuses_the_message_for_good_is_a_dead_attempt(
    settings, django_capture_on_commit_callbacks
):
    from aiosmtpd.controller import Controller

    port = free_port()
    refusing = Controller(RefusingRecipients(), hostname="127.0.0.1", port=port)
    refusing.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    order = paid_order()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            order_paid_email_send(order=order)
    finally:
        refusing.stop()
    assert OutgoingEmail.objects.get().status == OutboxStatus.DEAD
    assert attempts(order.user, "email") == [("dead", 1)]


def test_the_disclosure_names_what_the_email_carried(django_capture_on_commit_callbacks):
    """Control: the same e-mail with an unsubscribe header discloses the link too."""
    order = paid_order()
    with django_capture_on_commit_callbacks(execute=True):
        for headers in ({}, {"List-Unsubscribe": "<https://offtek.example/u/x/>"}):
            email_send(
                to=order.user.email,
                template="shop/emails/order_paid",
                context={"order": order},
                language="en",
                headers=headers,
                user=order.user,
                purpose="orders",
            )
    plain, with_link = rows(order.user, "email")
    assert plain.fields == ["email", "subject", "message"]
    assert with_link.fields == ["email", "subject", "message", "unsubscribe link"]
    assert "List-Unsubscribe" in mail.outbox[1].extra_headers


def test_an_sms_provider_that_is_down_is_a_failed_attempt_then_a_sent_one(
    settings, django_capture_on_commit_callbacks
):
    port = free_port()
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{port}/messages"
    settings.SMS_HTTP_TOKEN = TOKEN
    order = paid_order(delivery_phone="+447700900123")
    with django_capture_on_commit_callbacks(execute=True):
        order_dispatch(order=order, courier="dpd", tracking_number="DPD1")
    message = order.sms_messages.get()
    assert message.status == SmsStatus.RETRYING  # nothing listens on the port
    sms = rows(order.user, "sms")
    assert [(row.outcome, row.attempt, row.fields) for row in sms] == [
        ("failed", 1, ["phone", "message"])
    ]

    provider = FakeProvider(port=port)  # the provider comes up on the port it was given
    provider.start()
    try:
        with time_machine.travel(message.next_attempt_at):
            call_command("sms_resend", stdout=io.StringIO())
    finally:
        provider.stop()
    [received] = provider.received
    assert set(received) == {"to", "body", "sender"}
    sms = rows(order.user, "sms")
    assert [(row.outcome, row.attempt) for row in sms] == [("failed", 1), ("sent", 2)]


def test_an_sms_given_up_is_a_dead_attempt(settings, django_capture_on_commit_callbacks):
    from shop.fulfilment.sms.memory import MemorySmsBackend

    settings.SMS_MAX_ATTEMPTS = 1
    MemorySmsBackend.failures = 1
    order = paid_order(delivery_phone="+447700900123")
    with django_capture_on_commit_callbacks(execute=True):
        order_dispatch(order=order, courier="dpd", tracking_number="DPD1")
    assert order.sms_messages.get().status == SmsStatus.DEAD
    [dead] = rows(order.user, "sms")
    assert (dead.outcome, dead.attempt) == ("dead", 1)


def test_stripe_is_recorded_with_what_stripe_js_sends_from_the_browser(
    client, fake_stripe, django_capture_on_commit_callbacks
):
    user, order, _page = stripe_pay_page(client)
    server_side, browser = rows(user, "payment")
    assert (server_side.purpose, server_side.categories, server_side.fields) == (
        "orders",
        ["transaction"],
        ["amount", "currency", "order number"],
    )
    assert (browser.purpose, browser.categories, browser.fields) == (
        "fraud-prevention",
        ["technical"],
        ["ip address", "user agent"],
    )
    # The customer pays: the card data went from the browser to Stripe, once, however
    # often Stripe tells us so (the return page, then the webhook).
    payment = order.payments.get()
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(
            reverse("shop:checkout-return", kwargs={"number": order.number}),
            {"payment_intent": intent["id"]},
        )
        assert post_event(client, "payment_intent.succeeded", intent).status_code == 200
    card = rows(user, "payment")[2:]
    assert [(row.purpose, row.categories, row.fields) for row in card] == [
        ("orders", ["financial"], ["card data"])
    ]
    # The invoice e-mail that follows names the PDF it carried.
    invoice = mail.outbox[-1]
    [(file_name, _content, _type)] = invoice.attachments
    assert ["attachment:" + file_name] == [
        field for row in rows(user, "email") for field in row.fields if ":" in field
    ]
    client.force_login(user)
    page = client.get(reverse("privacy:disclosures")).content.decode()
    assert "card number, expiry date and security code" in page
    assert "your browser&#x27;s IP address" in page


def test_an_address_or_phone_in_the_review_payload_is_refused_before_it_is_sent(monkeypatch):
    order = delivered_order()
    payload = reviews.review_payload

    for extra in ({"phone": "+447700900123"}, {"delivery_address": "1 High Street"}):
        monkeypatch.setattr(
            reviews, "review_payload", lambda extra=extra, **kw: {**payload(**kw), **extra}
        )
        with pytest.raises(DisclosureNotAllowed, match="only"):
            reviews.review_invitation_send(order=order)
    assert MemoryReviewProvider.sent == []
    assert not ReviewInvitation.objects.exists()
    assert not Disclosure.objects.filter(processor="reviews").exists()


def test_control_the_review_disclosure_follows_the_payload():
    """A customer with no name on the account or the order: the name is not sent, and
    the ledger does not say it was."""
    named = delivered_order(user__first_name="Ada", user__last_name="Lovelace")
    nameless = delivered_order(user__first_name="", user__last_name="", delivery_name="")
    run(14)
    assert {(sent.order_number, sent.name) for sent in MemoryReviewProvider.sent} == {
        (named.number, "Ada Lovelace"),
        (nameless.number, ""),
    }
    assert rows(named.user, "reviews")[0].fields == ["name", "email", "order number"]
    assert rows(nameless.user, "reviews")[0].fields == ["email", "order number"]
