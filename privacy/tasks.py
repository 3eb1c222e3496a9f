from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task
def email_deliver(*, to: list[str], subject: str, text: str, html: str, headers: dict) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()
