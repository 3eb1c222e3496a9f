import json
import logging

from django.core.mail import EmailMultiAlternatives
from django.tasks import task

from privacy.purposes import acting_for

logger = logging.getLogger("privacy.emails")

# What every e-mail to a customer hands the e-mail provider: their address (contact
# data) and the message.
EMAIL_CATEGORIES = ("contact",)
EMAIL_FIELDS = ("email", "message")


def _message_send(*, to, subject, text, html, headers) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()


@task
@acting_for("email-delivery")
def email_deliver(*, email_id: int | None = None, **queued_before) -> None:
    """Send the queued e-mail ``email_id`` (see privacy.emails), written now, then
    forget it. ``queued_before``: tasks queued by an older release, which carried the
    rendered e-mail (to, subject, text, html, headers)."""
    from privacy.email_messages import EmailContextUnavailable, outgoing_email_render
    from privacy.models import OutgoingEmail

    if email_id is None:
        _message_send(**queued_before)
        return
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None:
        return  # erased with its recipient's account, or purged by retention
    try:
        message = outgoing_email_render(email=email)
    except EmailContextUnavailable as gone:
        logger.info("E-mail %s not sent: %s was erased.", email_id, gone)
        email.delete()
        return
    _message_send(**message)
    # Sent: the provider accepted it (a failure raised above, and the row stays queued).
    purpose = json.loads(email.payload).get("purpose")
    if email.user_id and purpose:
        email_disclosure_record(user_id=email.user_id, purpose=purpose)
    email.delete()


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
