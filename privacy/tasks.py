from django.core.mail import EmailMultiAlternatives
from django.tasks import task

# What every e-mail to a customer hands the e-mail provider: their address (contact
# data) and the message.
EMAIL_CATEGORIES = ("contact",)
EMAIL_FIELDS = ("email", "message")


@task
def email_deliver(
    *, to: list[str], subject: str, text: str, html: str, headers: dict, disclose=None
) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()
    if disclose:  # sent: the provider accepted it (a failure raised above)
        email_disclosure_record(user_id=disclose["user"], purpose=disclose["purpose"])


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
