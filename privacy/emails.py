"""Every e-mail the shop sends: HTML + text, in the recipient's language, delivered by a
background task so a slow mail server never holds up a page.

The task queue keeps each task's arguments in clear (``django_tasks_db``'s
``args_kwargs``), so an e-mail is not rendered when it is queued: ``email_send`` stores
the recipient and the template's context in an encrypted ``OutgoingEmail`` row (rows of
the database by reference: model and primary key), and the task carries that row's id.
The message is written when the task runs; once sent, the row forgets its context and
stays, marked sent, so that it is never sent twice (privacy.outbox: claims, retries,
dead letters)."""

import json
import logging
import smtplib
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import translation

from privacy import policy
from privacy.email_messages import (
    EmailContextUnavailable,
    email_render,
    outgoing_email_render,
    pack,
)
from privacy.models import OutgoingEmail
from privacy.outbox import (
    OutboxRules,
    outbox_claim,
    outbox_due,
    outbox_failed,
    outbox_resend,
    outbox_sent,
)
from privacy.tasks import EMAIL_CATEGORIES, email_deliver, email_disclosure_record, message_send

__all__ = ["email_render", "email_send"]

logger = logging.getLogger("privacy.emails")


def email_rules() -> OutboxRules:
    return OutboxRules(
        max_attempts=settings.EMAIL_MAX_ATTEMPTS,
        retry_seconds=settings.EMAIL_RETRY_SECONDS,
        claim_seconds=settings.OUTBOX_CLAIM_SECONDS,
    )


def email_send(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    headers: dict | None = None,
    user=None,
    purpose: str | None = None,
    layout: str = "",
) -> OutgoingEmail:
    """Queue an e-mail to one recipient, written in `language` when it is sent.
    ``user``: the customer it is for, if any (it is erased with their account), and
    ``purpose``, why we write to them (a key of ``privacy.policy.PURPOSES`` that covers
    contact data): once the e-mail provider has accepted the message, the disclosure
    ledger records that it received their address and the message, for that purpose.
    ``layout``: "allauth" for the account e-mails, written from allauth's templates.
    The row is written in the caller's transaction; the task is queued once it
    commits."""
    if getattr(user, "pk", None):
        declared = policy.PURPOSES.get(purpose or "")
        if declared is None or not set(EMAIL_CATEGORIES) <= set(declared.categories):
            raise ValueError(
                f"An e-mail to a customer needs a purpose for contact data: {purpose!r}"
            )
    else:
        purpose = None
    with translation.override(language):
        payload = json.dumps(
            {
                "context": pack(context),
                "headers": headers or {},
                "purpose": purpose,
                "layout": layout,
            }
        )
    email = OutgoingEmail.objects.create(
        user=user if getattr(user, "pk", None) else None,
        to=to,
        template=template,
        language=language,
        payload=payload,
        message_key=make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "offtek.local"),
    )
    email_id = email.pk
    transaction.on_commit(lambda: email_deliver.enqueue(email_id=email_id))
    return email


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
    try:
        message_send(**message, message_id=email.message_key)
    except Exception as error:  # noqa: BLE001 (every failure is recorded, none is lost)
        return outbox_failed(
            row=email,
            error=smtp_failure_text(error),
            transient=smtp_failure_transient(error),
            rules=rules,
        )
    # Sent: the provider accepted it. The context is no longer needed.
    purpose = json.loads(email.payload).get("purpose")
    outbox_sent(row=email, fields={"payload": json.dumps({"purpose": purpose})})
    if email.user_id and purpose:
        email_disclosure_record(user_id=email.user_id, purpose=purpose)
    return email.status


def emails_resend_due() -> int:
    """Attempt every e-mail due (queued with no task, due for a retry, or claimed by
    a worker that died). Safe to re-run, and from several workers."""
    due = outbox_due(OutgoingEmail.objects.all(), rules=email_rules())
    return sum(email_attempt(email_id=pk) == "sent" for pk in due.values_list("pk", flat=True))


def outgoing_email_resend(*, email: OutgoingEmail, by) -> bool:
    """Staff send a dead e-mail again (see the admin's "Re-send")."""
    with transaction.atomic():
        again = outbox_resend(row=email, by=by)
        if again:
            email_id = email.pk
            transaction.on_commit(lambda: email_deliver.enqueue(email_id=email_id))
    return again
