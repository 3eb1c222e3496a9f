"""The outbox against a real (local) mail server: a hung server costs one timeout and
the e-mail is retried; a 4xx answer is retried with a growing delay and a 5xx one is
dead at once; dead e-mails are shown to staff, who re-send them; a claimed e-mail is
never sent by two workers, a dead worker's claim is taken over with the same
Message-ID, and a sent e-mail is never sent again."""

import datetime
import io
import time

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from privacy.emails import email_attempt, email_rules, email_send
from privacy.models import OutboxStatus as O
from privacy.models import OutgoingEmail
from privacy.outbox import outbox_claim
from privacy.tests.smtp_fake import FakeSmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    server = FakeSmtpServer()
    server.start()
    settings.MAILERS = server.mailer(timeout=1)
    settings.EMAIL_RETRY_SECONDS = 60
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.OUTBOX_CLAIM_SECONDS = 300
    yield server
    server.stop()


def queued(to="waiting@example.org") -> OutgoingEmail:
    return email_send(
        to=to,
        template="privacy/emails/request_verify",
        context={"verify_url": "https://shop.test/v/"},
        language="en",
    )


def test_a_mail_server_that_never_answers_holds_a_worker_one_timeout_then_retries(smtp):
    email = queued()
    smtp.hang = True
    started = time.monotonic()
    assert email_attempt(email_id=email.pk) == O.RETRYING
    assert time.monotonic() - started < 5  # EMAIL_TIMEOUT (1 s here), not forever
    email.refresh_from_db()
    assert email.attempts == 1 and "timed out" in email.last_error
    waited = email.next_attempt_at - email.claimed_at
    assert datetime.timedelta(seconds=60) <= waited < datetime.timedelta(seconds=65)

    smtp.hang = False
    call_command("email_resend", stdout=io.StringIO())  # not due yet
    assert smtp.messages == []
    with time_machine.travel(email.next_attempt_at):
        call_command("email_resend", stdout=io.StringIO())
    email.refresh_from_db()
    assert (email.status, email.attempts) == (O.SENT, 2)
    [message] = smtp.messages
    assert message["Message-ID"] == email.idempotency_key and message["To"] == "waiting@example.org"


@pytest.mark.parametrize(("answer", "status"), [("451 try later", O.RETRYING), ("550 no", O.DEAD)])
def test_a_4xx_answer_is_retried_and_a_5xx_answer_is_final(smtp, answer, status):
    email = queued()
    smtp.recipient_answer = answer
    assert email_attempt(email_id=email.pk) == status
    email.refresh_from_db()
    assert answer.split()[0] in email.last_error and smtp.messages == []


def test_retries_double_their_delay_until_the_email_is_dead(smtp):
    email = queued()
    smtp.recipient_answer = "421 busy"
    delays = []
    for _attempt in range(3):
        with time_machine.travel(email.next_attempt_at or timezone.now(), tick=False):
            email_attempt(email_id=email.pk)
        email.refresh_from_db()
        if email.next_attempt_at:
            delays.append(round((email.next_attempt_at - email.claimed_at).total_seconds()))
    assert delays == [60, 120]
    assert (email.status, email.attempts, email.next_attempt_at) == (O.DEAD, 3, None)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert email_attempt(email_id=email.pk) == O.DEAD  # a dead e-mail waits for staff
    assert smtp.messages == []


def test_staff_see_dead_emails_and_resend_them(
    smtp, staff_client, django_capture_on_commit_callbacks
):
    email = queued()
    smtp.recipient_answer = "550 mailbox unavailable"
    email_attempt(email_id=email.pk)
    changelist = reverse("admin:privacy_outgoingemail_changelist")
    page = staff_client.get(changelist, {"status__exact": "dead"})
    assert page.status_code == 200 and "mailbox unavailable" in page.text
    assert "waiting@example.org" not in page.text  # the recipient stays encrypted

    smtp.recipient_answer = "250 OK"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            changelist, {"action": "resend_action", "_selected_action": [email.pk]}
        )
    assert response.status_code == 302
    email.refresh_from_db()
    assert (email.status, email.attempts) == (O.SENT, 1)
    assert len(smtp.messages) == 1


def test_a_resend_of_an_email_that_is_not_dead_changes_nothing(smtp, staff_client):
    email = queued()
    email_attempt(email_id=email.pk)
    staff_client.post(
        reverse("admin:privacy_outgoingemail_changelist"),
        {"action": "resend_action", "_selected_action": [email.pk]},
    )
    email.refresh_from_db()
    assert email.status == O.SENT and len(smtp.messages) == 1


def test_a_claimed_email_is_not_sent_by_a_second_worker_until_the_claim_runs_out(smtp):
    email = queued()
    assert outbox_claim(row=email, rules=email_rules()) is True  # worker 1, then killed
    assert email_attempt(email_id=email.pk) == O.SENDING  # worker 2 keeps off
    assert smtp.messages == []
    with time_machine.travel(email.claimed_at + datetime.timedelta(seconds=301)):
        assert email_attempt(email_id=email.pk) == O.SENT  # the dead worker's claim is taken over
    email.refresh_from_db()
    assert email.attempts == 2
    assert [m["Message-ID"] for m in smtp.messages] == [email.idempotency_key]
    assert email_attempt(email_id=email.pk) == O.SENT  # and never sent again
    assert len(smtp.messages) == 1


def test_a_sweep_stops_at_the_first_email_the_server_cannot_take(smtp):
    first, second = queued("first@example.org"), queued("second@example.org")
    smtp.hang = True
    call_command("email_resend", stdout=io.StringIO())
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.attempts) == (O.RETRYING, O.QUEUED, 0)

    smtp.hang = False
    with time_machine.travel(first.next_attempt_at):
        call_command("email_resend", stdout=io.StringIO())
    assert sorted(m["To"] for m in smtp.messages) == ["first@example.org", "second@example.org"]
