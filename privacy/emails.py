"""Every e-mail the shop sends: HTML + text, in the recipient's language, delivered by a
background task so a slow mail server never holds up a page."""

from django.template.loader import render_to_string
from django.utils import translation

from privacy.tasks import email_deliver


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
    *, to: str, template: str, context: dict, language: str, headers: dict | None = None
) -> None:
    """Queue an e-mail to one recipient, written in `language`."""
    rendered = email_render(template=template, context=context, language=language)
    email_deliver.enqueue(to=[to], headers=headers or {}, **rendered)
