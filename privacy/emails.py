"""Every e-mail the shop sends: HTML + text, in the recipient's language, delivered by a
background task so a slow mail server never holds up a page.

The task queue keeps each task's arguments in clear (``django_tasks_db``'s
``args_kwargs``), so an e-mail is not rendered when it is queued: ``email_send`` stores
the recipient and the template's context in an encrypted ``OutgoingEmail`` row (rows of
the database by reference: model and primary key), and the task carries that row's id.
The message is written when the task runs, and the row is deleted once it is sent."""

import datetime
import json
import logging

from django.apps import apps
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

from privacy.models import OutgoingEmail
from privacy.tasks import email_deliver

logger = logging.getLogger("privacy.emails")


class EmailContextUnavailable(Exception):
    """A row the e-mail is about is gone (erased before the e-mail was sent)."""


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


def _pack(value):
    if isinstance(value, models.Model):
        return {"$row": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Promise):
        return str(value)  # in the recipient's language (see email_send)
    if isinstance(value, dict):
        return {key: _pack(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_pack(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"An e-mail's context cannot hold {type(value).__name__}: pass rows or text.")


def _unpack(value):
    if isinstance(value, dict) and "$row" in value:
        row = apps.get_model(value["$row"])._default_manager.filter(pk=value["pk"]).first()
        if row is None:
            raise EmailContextUnavailable(f"{value['$row']} {value['pk']}")
        return row
    if isinstance(value, dict) and "$datetime" in value:
        return datetime.datetime.fromisoformat(value["$datetime"])
    if isinstance(value, dict) and "$date" in value:
        return datetime.date.fromisoformat(value["$date"])
    if isinstance(value, dict):
        return {key: _unpack(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unpack(item) for item in value]
    return value


def email_send(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    headers: dict | None = None,
    user=None,
) -> OutgoingEmail:
    """Queue an e-mail to one recipient, written in `language` when it is sent.
    ``user``: the customer it is for, if any (it is erased with their account)."""
    with translation.override(language):
        payload = json.dumps({"context": _pack(context), "headers": headers or {}})
    email = OutgoingEmail.objects.create(
        user=user if getattr(user, "pk", None) else None,
        to=to,
        template=template,
        language=language,
        payload=payload,
    )
    email_deliver.enqueue(email_id=email.pk)
    return email


def outgoing_email_render(*, email: OutgoingEmail) -> dict:
    """The message of a queued e-mail, written now: recipients, headers and contents."""
    payload = json.loads(email.payload)
    context = _unpack(payload["context"])
    rendered = email_render(template=email.template, context=context, language=email.language)
    return {"to": [email.to], "headers": payload["headers"], **rendered}
