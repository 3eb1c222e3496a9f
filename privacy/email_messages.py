"""Writing an e-mail: its templates rendered in the recipient's language, and the
context of a queued e-mail stored by reference (rows by model and primary key) and
read back when the task that sends it runs (see privacy.emails)."""

import datetime
import json

from allauth.account import app_settings
from django.apps import apps
from django.db import models
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

from privacy.purposes import Scope, scopes_active

SITE_NAME = "Offtek"


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


def pack(value):
    if isinstance(value, models.Model):
        return {"$row": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Promise):
        return str(value)  # in the recipient's language (see email_send)
    if isinstance(value, dict):
        return {key: pack(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [pack(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"An e-mail's context cannot hold {type(value).__name__}: pass rows or text.")


def unpack(value):
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
        return {key: unpack(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unpack(item) for item in value]
    return value


def outgoing_email_render(*, email) -> dict:
    """The message of a queued e-mail, written now: recipients, headers and contents."""
    payload = json.loads(email.payload)
    # Written for the purpose it was queued for, from its recipient's own rows only (an
    # e-mail to someone without an account reads what e-mail delivery may read).
    queued_for = [payload["purpose"]] if payload.get("purpose") else []
    with scopes_active(Scope(key, email.user_id) for key in queued_for):
        context = unpack(payload["context"])
        if payload.get("layout") == "allauth":
            rendered = account_email_render(
                template=email.template, context=context, language=email.language
            )
        else:
            rendered = email_render(
                template=email.template, context=context, language=email.language
            )
        attached = [row.email_attachment() for row in unpack(payload.get("attachments", []))]
    if None in attached:
        raise EmailContextUnavailable("an attachment is not ready")
    return {
        "to": [email.to],
        "headers": payload["headers"],
        "attachments": attached,
        **rendered,
    }


def account_email_render(*, template: str, context: dict, language: str) -> dict:
    """An allauth e-mail written from its templates (`<prefix>_subject.txt`,
    `<prefix>_message.txt` and, where there is one, `<prefix>_message.html`), with
    the site's subject prefix, in `language`."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_message.txt", context).strip()
        try:
            html = render_to_string(
                f"{template}_message.{app_settings.TEMPLATE_EXTENSION}", context
            ).strip()
        except TemplateDoesNotExist:
            html = ""
    prefix = app_settings.EMAIL_SUBJECT_PREFIX
    if prefix is None:
        prefix = f"[{SITE_NAME}] "
    return {"subject": f"{prefix}{subject}", "text": text, "html": html}
