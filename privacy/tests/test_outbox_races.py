"""Workers racing for the same outbox row on PostgreSQL: one claims it, the others keep
off, and the mail server receives the e-mail once."""

import pytest

from privacy.emails import email_attempt, email_send
from privacy.models import OutboxStatus, OutgoingEmail
from privacy.tests.races import run_together
from privacy.tests.smtp_fake import FakeSmtpServer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 6


def test_workers_racing_for_one_email_send_it_once(settings):
    server = FakeSmtpServer()
    server.start()
    settings.MAILERS = server.mailer(timeout=5)
    # The queue keeps the task: the racing workers below are the only senders.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    email = email_send(
        to="raced@example.org",
        template="privacy/emails/request_verify",
        context={"verify_url": "https://shop.test/v/"},
        language="en",
    )
    outcomes = run_together([lambda: email_attempt(email_id=email.pk)] * WORKERS)
    server.stop()

    email = OutgoingEmail.objects.get(pk=email.pk)
    assert len(server.messages) == 1
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)
    assert all(isinstance(outcome, str) for outcome in outcomes), outcomes
    assert outcomes.count("sent") >= 1
