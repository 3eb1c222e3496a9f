"""Workers racing for the same outbox row on PostgreSQL: one claims it, the others keep
off, and the mail server receives the e-mail once."""

import threading

import pytest
from django.db import connection

from privacy.emails import email_attempt, email_send
from privacy.models import OutboxStatus, OutgoingEmail
from privacy.tests.smtp_fake import FakeSmtpServer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 6


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL (set DATABASE_URL)")


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
    start = threading.Barrier(WORKERS)
    outcomes: list = []

    def worker():
        try:
            start.wait(timeout=10)
            outcomes.append(email_attempt(email_id=email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    server.stop()

    email = OutgoingEmail.objects.get(pk=email.pk)
    assert len(server.messages) == 1
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)
    assert len(outcomes) == WORKERS and outcomes.count("sent") >= 1
