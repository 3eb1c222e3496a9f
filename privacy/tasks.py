"""Sending what the outbox holds (see privacy.emails and privacy.outbox): one attempt
at an e-mail, the sweep of e-mails due, and the tasks the queue runs."""

import json
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import default_task_backend, task

from privacy.disclosures import ATTACHMENT, attempt_disclosure_record, fields_sent
from privacy.email_messages import EmailContextUnavailable, outgoing_email_render
from privacy.models import OutboxStatus as O
from privacy.models import OutgoingEmail, User
from privacy.outbox import (
    OutboxRules,
    outbox_claim,
    outbox_come_back_at,
    outbox_due,
    outbox_failed,
    outbox_sent,
)
from privacy.purposes import acting_for

logger = logging.getLogger("privacy.emails")

# The data category of what every e-mail to a customer hands the e-mail provider:
# their address and a message for them.
EMAIL_CATEGORIES = ("contact",)
# The parts of a written e-mail (`outgoing_email_render`) in the ledger's words; the
# headers and attachments are named one by one (`email_fields_sent`).
EMAIL_WORDS = {"to": "email", "subject": "subject", "text": "message", "html": "message"}
HEADER_WORDS = {
    "List-Unsubscribe": "unsubscribe link",
    "List-Unsubscribe-Post": None,  # the fixed "List-Unsubscribe=One-Click"
    "Message-ID": None,  # the outbox row's own random id
}


def message_send(*, to, subject, text, html, headers, attachments=(), message_id: str = "") -> None:
    """Hand one written e-mail to the mail server (bounded by the mailer's timeout).
    `message_id`: the outbox row's own Message-ID, the same on every attempt;
    `attachments`: (file name, bytes, MIME type) triples."""
    if message_id:
        headers = {**headers, "Message-ID": message_id}
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def email_rules() -> OutboxRules:
    return OutboxRules(
        max_attempts=settings.EMAIL_MAX_ATTEMPTS,
        retry_seconds=settings.EMAIL_RETRY_SECONDS,
        claim_seconds=settings.OUTBOX_CLAIM_SECONDS,
    )


def smtp_failure_transient(error: Exception) -> bool:
    """A failure worth trying again: the server unreachable, slow or gone, or a 4xx
    answer (try later). A 5xx answer (the address or the message refused) is final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError | smtplib.SMTPException)


def smtp_failure_text(error: Exception) -> str:
    """What staff see of a failure: the server's answer, never the recipient's
    address (the column is not encrypted)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = {
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        }
        return f"recipient refused: {'; '.join(sorted(answers))}"
    if isinstance(error, smtplib.SMTPResponseException):
        return (
            f"{type(error).__name__}: {error.smtp_code} {error.smtp_error.decode(errors='replace')}"
        )
    return f"{type(error).__name__}: {error}"


@acting_for("email-delivery")
def email_attempt(*, email_id: int) -> str:
    """One attempt at sending the queued e-mail `email_id`; returns its status (or
    "gone"). Written now, in its language, with its own Message-ID on every attempt."""
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None:
        return "gone"  # erased with its recipient's account, or purged by retention
    rules = email_rules()
    if not outbox_claim(row=email, rules=rules):
        return email.status
    try:
        message = outgoing_email_render(email=email)
    except EmailContextUnavailable as gone:
        logger.info("E-mail %s not sent: %s was erased.", email_id, gone)
        email.delete()
        return "gone"
    except Exception as error:  # noqa: BLE001 (a template that cannot be written: staff look)
        return outbox_failed(
            row=email, error=f"{type(error).__name__}: {error}", transient=False, rules=rules
        )
    purpose = json.loads(email.payload).get("purpose")
    try:
        message_send(**message, message_id=email.idempotency_key)
    except Exception as error:  # noqa: BLE001 (every failure is recorded, none is lost)
        outbox_failed(
            row=email,
            error=smtp_failure_text(error),
            transient=smtp_failure_transient(error),
            rules=rules,
        )
    else:
        # Sent: the provider accepted it. The recipient and the context are no longer
        # needed; the row stays so that the e-mail is never sent twice.
        outbox_sent(row=email, fields={"payload": json.dumps({"purpose": purpose}), "to": ""})
    if email.user_id and purpose:
        email_disclosure_record(email=email, purpose=purpose, fields=email_fields_sent(message))
    return email.status


def emails_resend_due() -> int:
    """Attempt every e-mail due (queued with no task, due for a retry, or claimed by
    a worker that died), oldest first. Stops at the first one the mail server could
    not take for now (the others would wait a timeout each for the same answer).
    Safe to re-run, and from several workers."""
    due = outbox_due(OutgoingEmail.objects.all(), rules=email_rules()).order_by("pk")
    sent = 0
    for pk in due.values_list("pk", flat=True):
        status = email_attempt(email_id=pk)
        if status == O.RETRYING:
            break
        sent += status == O.SENT
    return sent


@task
def email_deliver(*, email_id: int | None = None, **queued_before) -> str:
    """One attempt at the queued e-mail ``email_id`` (see privacy.emails); when it
    must be tried again later, the task comes back by itself where the queue can
    defer (otherwise the periodic re-send does it). ``queued_before``: tasks queued
    by an older release, which carried the rendered e-mail."""
    if email_id is None:
        message_send(**queued_before)
        return "sent"
    status = email_attempt(email_id=email_id)
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    come_back = email and outbox_come_back_at(email, rules=email_rules())
    if come_back and default_task_backend.supports_defer:
        email_deliver.using(run_after=come_back).enqueue(email_id=email_id)
    return status


@task
def emails_resend() -> int:
    """The same as `manage.py email_resend`, for a periodic worker."""
    return emails_resend_due()


def email_fields_sent(message: dict) -> tuple:
    """What a written e-mail hands the mail server, in the ledger's words: the
    recipient's address, the subject, the text, the headers that say something about
    the recipient, and each attached file by its name."""
    headers = fields_sent(message.get("headers") or {}, HEADER_WORDS)
    parts = {key: value for key, value in message.items() if key not in ("headers", "attachments")}
    attached = tuple(ATTACHMENT + name for name, _content, _mimetype in message["attachments"])
    return tuple(dict.fromkeys(fields_sent(parts, EMAIL_WORDS) + headers + attached))


def email_disclosure_record(*, email: OutgoingEmail, purpose: str, fields: tuple) -> None:
    """This attempt handed the e-mail provider `fields` of a customer: sent, failed
    (another try follows) or given up, as the outbox row now says."""
    attempt_disclosure_record(
        status=email.status,
        user=User.objects.filter(pk=email.user_id).first(),  # None: erased meanwhile
        processor="email",
        purpose=purpose,
        categories=EMAIL_CATEGORIES,
        fields=fields,
        attempt=email.attempts,
    )
