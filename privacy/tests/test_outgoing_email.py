"""The task queue carries an id, never an e-mail: the recipient and the context wait
encrypted in OutgoingEmail, the task is queued once the transaction commits, the
message is written when the task runs, and every row is purged with the
"outgoing-email" rule."""

import datetime
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from privacy.emails import email_send
from privacy.models import OutboxStatus, OutgoingEmail, PrivacyRequest
from privacy.tasks import email_deliver

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [], "OPTIONS": {}}
    }


def _request(**kwargs):
    return PrivacyRequest.objects.create(
        reference="PR-2026-ABC123",
        email="queued.person@example.org",
        email_digest="d",
        name="Queued Person",
        message="A question",
        **kwargs,
    )


def test_the_queue_holds_an_id_and_the_row_holds_nothing_in_clear(
    database_queue, django_capture_on_commit_callbacks
):
    privacy_request = _request()
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=privacy_request.email,
            template="privacy/emails/request_received",
            context={"privacy_request": privacy_request},
            language="en",
        )
        assert not DBTaskResult.objects.exists()  # queued only once the change commits
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [], "kwargs": {"email_id": OutgoingEmail.objects.get().pk}}
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM privacy_outgoingemail")
        raw = repr(cursor.fetchall())
    assert "queued.person" not in raw and "PR-2026-ABC123" not in raw


def test_the_message_is_written_when_the_task_runs(database_queue):
    privacy_request = _request()
    email = email_send(
        to=privacy_request.email,
        template="privacy/emails/request_received",
        context={"privacy_request": privacy_request},
        language="fr",
    )
    PrivacyRequest.objects.filter(pk=privacy_request.pk).update(reference="PR-2026-LATER1")
    email_deliver.call(email_id=email.pk)
    assert mail.outbox[0].to == ["queued.person@example.org"]
    assert "PR-2026-LATER1" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Message-ID"] == email.idempotency_key
    email.refresh_from_db()
    # Kept as sent, so that it is never sent twice; its context is forgotten.
    assert email.status == OutboxStatus.SENT and "privacy_request" not in email.payload
    email_deliver.call(email_id=email.pk)
    assert len(mail.outbox) == 1


def test_an_email_about_an_erased_row_is_dropped(database_queue):
    privacy_request = _request()
    email = email_send(
        to=privacy_request.email,
        template="privacy/emails/request_received",
        context={"privacy_request": privacy_request},
        language="en",
    )
    privacy_request.delete()
    email_deliver.call(email_id=email.pk)
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_a_context_that_cannot_be_referenced_is_refused():
    with pytest.raises(TypeError):
        email_send(to="a@example.org", template="t", context={"x": object()}, language="en")
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize(("days_later", "kept"), [(6, True), (8, False)])
def test_unsent_emails_and_their_tasks_are_purged_after_their_period(
    database_queue, days_later, kept, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(START, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email_send(
            to="waiting@example.org",
            template="privacy/emails/request_verify",
            context={"verify_url": "https://shop.test/v/"},
            language="en",
        )
    assert json.dumps(DBTaskResult.objects.get().args_kwargs).count("waiting") == 0
    with time_machine.travel(START + datetime.timedelta(days=days_later), tick=False):
        call_command("retention", "--apply", stdout=io.StringIO())
    assert OutgoingEmail.objects.exists() is kept
    assert DBTaskResult.objects.exists() is kept
