"""Every e-mail the shop sends: HTML + text, in the recipient's language, delivered by a
background task so a slow mail server never holds up a page.

The task queue keeps each task's arguments in clear (``django_tasks_db``'s
``args_kwargs``), so an e-mail is not rendered when it is queued: ``email_send`` stores
the recipient and the template's context in an encrypted ``OutgoingEmail`` row (rows of
the database by reference: model and primary key), and the task carries that row's id.
The message is written when the task runs; once sent, the row forgets its recipient
and context and stays, marked sent, so that it is never sent twice (privacy.outbox:
claims, retries, dead letters)."""

import base64
import json
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import translation

from privacy import policy
from privacy.email_messages import email_render, pack
from privacy.models import OutgoingEmail
from privacy.outbox import outbox_resend
from privacy.tasks import (
    EMAIL_CATEGORIES,
    email_attempt,
    email_deliver,
    email_rules,
    emails_resend_due,
)

__all__ = [
    "email_attempt",
    "email_render",
    "email_rules",
    "email_send",
    "emails_resend_due",
    "outgoing_email_resend",
]


def message_id_new() -> str:
    """A Message-ID of random letters and digits 2-7 (base32): unique, and never a long
    run of digits that a scan for card numbers would take for one (make_msgid's are)."""
    token = base64.b32encode(secrets.token_bytes(15)).decode().lower()
    return f"<{token}@{urlsplit(settings.SITE_URL).hostname or 'offtek.local'}>"


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
    attachments: list | None = None,
) -> OutgoingEmail:
    """Queue an e-mail to one recipient, written in `language` when it is sent.
    ``user``: the customer it is for, if any (it is erased with their account), and
    ``purpose``, why we write to them (a key of ``privacy.policy.PURPOSES`` that covers
    contact data): each attempt at the e-mail provider is written to the disclosure
    ledger for that purpose, with what the message carried and what came of it.
    ``layout``: "allauth" for the account e-mails, written from allauth's templates.
    ``attachments``: rows with an ``email_attachment()`` method returning (file name,
    bytes, MIME type), stored by reference and read when the e-mail is written.
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
                "attachments": pack(list(attachments or [])),
            }
        )
    email = OutgoingEmail.objects.create(
        user=user if getattr(user, "pk", None) else None,
        to=to,
        template=template,
        language=language,
        payload=payload,
        idempotency_key=message_id_new(),
    )
    email_id = email.pk
    transaction.on_commit(lambda: email_deliver.enqueue(email_id=email_id))
    return email


def outgoing_email_resend(*, email: OutgoingEmail, by) -> bool:
    """Staff send a dead e-mail again (see the admin's "Re-send")."""
    with transaction.atomic():
        again = outbox_resend(row=email, by=by)
        if again:
            email_id = email.pk
            transaction.on_commit(lambda: email_deliver.enqueue(email_id=email_id))
    return again
