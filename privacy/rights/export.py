"""Right of access and portability: everything the shop holds about one customer.

The export is built from the personal-data declarations (``privacy.registry``), so a
new app's data appears in it as soon as it is declared. Its JSON structure::

    {
      "format": "offtek-personal-data/1",
      "generated_at": "2026-11-22T02:30:00+00:00",
      "customer": "ada@example.com",
      "sections": [
        {
          "key": "privacy.user",            # the declared model
          "title": "user",                   # its name, in the customer's language
          "categories": ["contact", "identity"],
          "purpose": "account",
          "retention": "account",
          "rows": [{...}, ...],              # one object per row, by Declaration.export_row
          "history": [{...}, ...]            # earlier versions of those rows, if kept
        },
        ...
      ]
    }

Every declared model appears, with an empty ``rows`` list when nothing is held. Each
declaration costs a fixed number of queries (its ``select_related`` and
``prefetch_related``), whatever the number of rows.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from privacy import policy, registry
from privacy.accounts.services import security_event_record
from privacy.models import SecurityEventKind, User
from privacy.purposes import purpose

EXPORT_FORMAT = "offtek-personal-data/1"


class ExportRefused(Exception):
    """The account is being closed (or is closed): there is nothing to export."""


def history_rows(declaration, user) -> list[dict]:
    """The customer's rows in the declared model's change history (one query): each
    earlier version of a row, with when and how it changed."""
    history = declaration.history_model
    if history is None:
        return []
    names = {f.name for f in history._meta.concrete_fields}
    fields = [name for name in declaration.fields if name in names]
    owner = {"id": user.pk} if declaration.owner == "self" else {declaration.owner: user.pk}
    pk_name = declaration.model._meta.pk.attname
    rows = history.objects.filter(**owner).order_by(pk_name, "history_date")
    return [
        {
            "record": getattr(row, pk_name),
            "changed": row.history_date.isoformat(),
            "change": {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
            **registry.export_fields(row, fields),
        }
        for row in rows
    ]


def export_sections(*, user: User) -> list[dict]:
    with purpose(policy.OWN_DATA, subject=user):  # the customer's own rows, nobody else's
        return _sections(user)


def _sections(user) -> list[dict]:
    sections = []
    for declaration in registry.declarations():
        rows = [declaration.export_row(row) for row in declaration.rows_for(user)]
        sections.append(
            {
                "key": declaration.label,
                "title": str(declaration.model._meta.verbose_name_plural),
                "categories": list(declaration.categories),
                "purpose": declaration.purpose,
                "retention": declaration.retention,
                "rows": rows,
                "history": history_rows(declaration, user),
            }
        )
    return sections


@transaction.atomic
def export_build(*, user: User, request=None, downloaded: bool = True) -> dict:
    """The customer's data, as a dict ready for JSON. A download is written to their
    security log; reading it on the "My data" page (downloaded=False) is not a
    download. Refused while the account is being closed (the row is locked by the
    closure, and a closed account is inactive)."""
    locked = User.objects.select_for_update().filter(pk=user.pk, is_active=True).first()
    if locked is None:
        raise ExportRefused
    if downloaded:
        security_event_record(kind=SecurityEventKind.EXPORT, user=locked, request=request)
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "customer": locked.email,
        "sections": export_sections(user=locked),
    }


def export_json(document: dict) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
