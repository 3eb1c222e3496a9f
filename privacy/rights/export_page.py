"""The "My data" page: the export (privacy.rights.export) in the customer's words.

The JSON file keeps its stable machine names ("subtotal_pence": 1299); this page shows
the same rows with a label in the customer's language for every key and every value
as a person reads it: money as money, dates in the local format, Yes/No, the names
of choices (an order's status, a consent's purpose) rather than their codes.

A key's label comes from, in order: the declaration's ``labels``, the field it is an
alias of, the model's field of that name, the common labels below. A key with none
of these is shown tidied up ("tracking number") and is a gap a test reports.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from offtek.money import CURRENCIES, Money
from privacy import policy, registry
from privacy.phone_numbers import phone_display

COMMON_LABELS = {
    "when": _("when"),
    "created_at": _("when"),
    "updated_at": _("last changed"),
    "sent": _("sent"),
    "due": _("answer due by"),
    "updated": _("last changed"),
    "opened": _("opened"),
    "placed": _("placed"),
    "paid": _("paid"),
    "dispatched": _("dispatched"),
    "delivered": _("delivered"),
    "status": _("status"),
    "reference": _("reference"),
    "purpose": _("purpose"),
    "processor": _("who received it"),
    "fields": _("what they received"),
    "lines": _("items"),
    "quantity": _("quantity"),
    "currency": _("currency"),
    "language": _("language"),
    "email": _("e-mail address"),
    "name": _("name"),
    "message": _("message"),
    "browser": _("browser"),
    "ip_address": _("IP address"),
    "event": _("event"),
    # A history row: when this version was written, and by which kind of change.
    "record": _("record number"),
    "changed": _("version of"),
    "change": _("change"),
}
CHANGE_KINDS = {
    "created": _("record created"),
    "changed": _("record changed"),
    "deleted": _("record deleted"),
}
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MISSING = "—"
PHONE_KEYS = {"phone", "delivery_phone", "to_number"}


@dataclass(frozen=True)
class Item:
    """One key of a row: its label and either a text or nested rows/items."""

    key: str
    label: str
    text: str = ""
    rows: tuple = ()  # a list of mappings: tuple of tuples of Item
    items: tuple = ()  # a mapping: tuple of Item


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def key_label(declaration, key: str) -> str | None:
    """The label of ``key`` in the reader's language, or None if nothing names it."""
    if key in declaration.labels:
        return str(capfirst(declaration.labels[key]))
    field = _field(declaration.model, declaration.aliases.get(key, key))
    named = getattr(field, "verbose_name", None)
    # A field without a verbose_name gets its name with spaces (a plain str, never
    # translated); a translatable one is a lazy string.
    if isinstance(named, Promise):
        return str(capfirst(named))
    if key in COMMON_LABELS:
        return str(capfirst(COMMON_LABELS[key]))
    return None


def _moment(text: str) -> str | None:
    try:
        if ISO_DATE.match(text):
            return formats.date_format(datetime.date.fromisoformat(text), "DATE_FORMAT")
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def _choice(declaration, key, value) -> str | None:
    field = _field(declaration.model, declaration.aliases.get(key, key))
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if value in choices:
        return str(choices[value])
    if key == "purpose" and (value in policy.PURPOSES or value in policy.RETIRED_PURPOSES):
        return str(policy.purpose_label(value))
    if key == "processor" and value in policy.PROCESSORS:
        return str(policy.PROCESSORS[value].label)
    return None


def value_text(declaration, key: str, value, *, currency: str | None = None) -> str:
    """A scalar value (or a list of them) as the customer reads it; an amount in minor
    units ("..._pence") in `currency`, the currency of the row it is in (or of the
    row that holds that row: an order's lines are in the order's currency)."""
    if value is None or value == "":
        return MISSING
    if key in declaration.values:
        return str(declaration.values[key](value))
    if key == "change" and value in CHANGE_KINDS:
        return str(CHANGE_KINDS[value])
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if key in PHONE_KEYS and isinstance(value, str):
        return phone_display(value, language=get_language() or "en")
    if key == "language" and value in dict(settings.LANGUAGES):
        return str(capfirst(get_language_info(value)["name_translated"]))
    if isinstance(value, str | int) and (text := _choice(declaration, key, value)):
        return text
    if key.endswith("_pence") and isinstance(value, int) and currency in CURRENCIES:
        return Money(value, currency).display()
    if isinstance(value, datetime.datetime | datetime.date):
        return _moment(value.isoformat()) or str(value)
    if isinstance(value, str) and (ISO_DATETIME.match(value) or ISO_DATE.match(value)):
        return _moment(str(value)) or str(value)
    if isinstance(value, list | tuple):
        items = (value_text(declaration, key, item, currency=currency) for item in value)
        return ", ".join(items) or MISSING
    if isinstance(value, int):
        return formats.number_format(value)
    return str(value)


def _item(declaration, key, value, currency) -> Item:
    label = key_label(declaration, key) or str(capfirst(key.replace("_", " ")))
    if isinstance(value, dict):
        return Item(key, label, items=_mapping(declaration, value, currency))
    if isinstance(value, list | tuple) and value and all(isinstance(v, dict) for v in value):
        rows = tuple(_mapping(declaration, row, currency) for row in value)
        return Item(key, label, rows=rows)
    return Item(key, label, text=value_text(declaration, key, value, currency=currency))


def _mapping(declaration, row: dict, currency: str | None = None) -> tuple:
    currency = row.get("currency", currency)
    return tuple(_item(declaration, key, value, currency) for key, value in row.items())


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    categories: tuple
    purpose: str
    rows: tuple
    history: tuple = ()  # the earlier versions kept by the change history


def export_page_sections(document: dict) -> list[Section]:
    """The export's sections for the page, in the active language."""
    by_label = {declaration.label: declaration for declaration in registry.declarations()}
    sections = []
    for section in document["sections"]:
        declaration = by_label[section["key"]]
        sections.append(
            Section(
                key=section["key"],
                title=str(capfirst(declaration.heading)),
                categories=tuple(
                    str(policy.CATEGORIES[key].label) for key in section["categories"]
                ),
                purpose=str(policy.PURPOSES[section["purpose"]].label),
                rows=tuple(_mapping(declaration, row) for row in section["rows"]),
                history=tuple(_mapping(declaration, row) for row in section.get("history", [])),
            )
        )
    return sections


def unlabelled_keys(document: dict) -> list[str]:
    """Keys of the export that nothing names (for tests and checks)."""
    by_label = {declaration.label: declaration for declaration in registry.declarations()}
    missing = []

    def walk(declaration, value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key_label(declaration, key) is None:
                    missing.append(f"{declaration.label}.{key}")
                walk(declaration, item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(declaration, item)

    for section in document["sections"]:
        walk(by_label[section["key"]], section["rows"])
    return sorted(set(missing))
