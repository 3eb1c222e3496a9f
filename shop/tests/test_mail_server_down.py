"""A mail server that accepts connections and never answers slows no request: Stripe's
webhook and the sign-up page only write the e-mail into the outbox and queue its task
once they commit; the worker's attempt costs one EMAIL_TIMEOUT and is retried, and the
e-mail arrives, once, when the server is back."""

import io
import time

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from privacy.models import OutboxStatus, OutgoingEmail
from privacy.tasks import email_deliver
from privacy.tests.factories import PASSWORD
from privacy.tests.smtp_fake import FakeSmtpServer
from shop.models import OrderStatus
from shop.tests.stripe_steps import post_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_smtp(settings):
    server = FakeSmtpServer()
    server.hang = True
    server.start()
    settings.MAILERS = server.mailer(timeout=5)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [], "OPTIONS": {}}
    }
    yield server
    server.stop()


def deliver_when_back(server, email: OutgoingEmail) -> None:
    """The worker runs the queued task while the server hangs, then after it is back."""
    started = time.monotonic()
    assert email_deliver.call(email_id=email.pk) == OutboxStatus.RETRYING
    assert time.monotonic() - started < 9  # one timeout (5 s), not forever
    server.hang = False
    email.refresh_from_db()
    with time_machine.travel(email.next_attempt_at):
        call_command("email_resend", stdout=io.StringIO())
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT


def test_a_hung_mail_server_does_not_slow_stripes_webhook_and_the_email_arrives_once(
    client, started, fake_stripe, hung_smtp, django_capture_on_commit_callbacks
):
    order, _module, payment, _page = started
    intent = fake_stripe.confirm(payment.reference, "pm_card_gb")
    began = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, "payment_intent.succeeded", intent)
    assert response.status_code == 200 and time.monotonic() - began < 4  # under one mail timeout
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    email = OutgoingEmail.objects.get(template="shop/emails/order_paid")
    assert DBTaskResult.objects.filter(task_path="privacy.tasks.email_deliver").count() == 1

    # Stripe retrying the event changes nothing and queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "payment_intent.succeeded", intent)
    assert OutgoingEmail.objects.count() == 1

    deliver_when_back(hung_smtp, email)
    [message] = hung_smtp.messages
    assert order.number in message["Subject"]


def test_a_hung_mail_server_does_not_slow_sign_up_and_the_verification_arrives(
    client, hung_smtp, django_capture_on_commit_callbacks
):
    began = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302 and time.monotonic() - began < 4  # under one mail timeout
    email = OutgoingEmail.objects.get()
    assert email.template == "account/email/email_confirmation_signup"

    deliver_when_back(hung_smtp, email)
    [message] = hung_smtp.messages
    assert message["To"] == "new@example.com" and message["Subject"].startswith("[Offtek]")
    body = message.get_payload()[0].get_payload(decode=True).decode()
    assert "/accounts/confirm-email/" in body
