from django.core.mail import EmailMultiAlternatives
from django.tasks import default_task_backend, task

# What every e-mail to a customer hands the e-mail provider: their address (contact
# data) and the message.
EMAIL_CATEGORIES = ("contact",)
EMAIL_FIELDS = ("email", "message")


def message_send(*, to, subject, text, html, headers, message_id: str = "") -> None:
    """Hand one written e-mail to the mail server (bounded by the mailer's timeout).
    `message_id`: the outbox row's own Message-ID, the same on every attempt."""
    if message_id:
        headers = {**headers, "Message-ID": message_id}
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@task
def email_deliver(*, email_id: int | None = None, **queued_before) -> str:
    """One attempt at the queued e-mail ``email_id`` (see privacy.emails); when it
    must be tried again later, the task comes back by itself where the queue can
    defer (otherwise the periodic re-send does it). ``queued_before``: tasks queued
    by an older release, which carried the rendered e-mail."""
    from privacy.emails import email_attempt, email_rules
    from privacy.models import OutgoingEmail
    from privacy.outbox import outbox_come_back_at

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
    from privacy.emails import emails_resend_due

    return emails_resend_due()


def email_disclosure_record(*, user_id: int, purpose: str) -> None:
    """The e-mail provider received a customer's address and a message for them."""
    from privacy.disclosures import disclosure_record
    from privacy.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return  # the account was erased before the e-mail went
    disclosure_record(
        user=user,
        processor="email",
        purpose=purpose,
        categories=EMAIL_CATEGORIES,
        fields=EMAIL_FIELDS,
    )
