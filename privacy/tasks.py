import logging

from django.core.mail import EmailMultiAlternatives
from django.tasks import task

logger = logging.getLogger("privacy.emails")


def _message_send(*, to, subject, text, html, headers) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()


@task
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
    email.delete()
