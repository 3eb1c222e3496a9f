"""Every e-mail the shop sends: HTML + text, in the recipient's language, delivered by a
background task so a slow mail server never holds up a page."""

from django.template.loader import render_to_string
from django.utils import translation

from privacy import policy
from privacy.tasks import EMAIL_CATEGORIES, email_deliver


def email_render(*, template: str, context: dict, language: str) -> dict:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html`.

    Text templates wrap their body in `{% autoescape off %}`, as allauth's do."""
    with translation.override(language):
        context = {**context, "language": language}
        return {
            "subject": " ".join(render_to_string(f"{template}_subject.txt", context).split()),
            "text": render_to_string(f"{template}.txt", context),
            "html": render_to_string(f"{template}.html", context),
        }


def email_send(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    headers: dict | None = None,
    user=None,
    purpose: str | None = None,
) -> None:
    """Queue an e-mail to one recipient, written in `language`. ``user``: the customer
    it is for, if any, and ``purpose``, why we write to them (a key of
    ``privacy.policy.PURPOSES`` that covers contact data): once the e-mail provider has
    accepted the message, the disclosure ledger records that it received their address
    and the message, for that purpose."""
    disclose = None
    if getattr(user, "pk", None):
        declared = policy.PURPOSES.get(purpose or "")
        if declared is None or not set(EMAIL_CATEGORIES) <= set(declared.categories):
            raise ValueError(
                f"An e-mail to a customer needs a purpose for contact data: {purpose!r}"
            )
        disclose = {"user": user.pk, "purpose": purpose}
    rendered = email_render(template=template, context=context, language=language)
    email_deliver.enqueue(to=[to], headers=headers or {}, disclose=disclose, **rendered)
