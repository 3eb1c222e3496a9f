"""The end of a legal hold: records kept for tax after an account closure are
anonymised once their ``hold_field`` date has passed (statistics survive, nothing
points to a person). Rows the customer chose to keep (a closure option's ``mark``, e.g.
a lifetime warranty) stay until they ask. Rows held through their parent (a payment
through its order) are anonymised with it; history rows too.

Idempotent and safe to re-run: a released row has no hold date any more.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from privacy import registry


def _anonymise(rows, values: dict) -> int:
    count = 0
    for row in rows.iterator(chunk_size=500):  # encrypted values: row by row
        for name, value in values.items():
            setattr(row, name, value)
        row.save(update_fields=list(values))
        count += 1
    return count


def _history_anonymise(declaration, pks) -> None:
    history = declaration.history_model
    if history is None or not declaration.anonymise:
        return
    pk_name = declaration.model._meta.pk.attname
    for row in history.objects.filter(**{f"{pk_name}__in": pks}).iterator(chunk_size=500):
        for name, value in declaration.anonymise.items():
            setattr(row, name, value)
        row.save(update_fields=list(declaration.anonymise))


def _children(parent):
    """HOLD declarations that follow ``parent`` (``detach=None``, owner through it)."""
    for declaration in registry.declarations():
        if declaration.closure != registry.Closure.HOLD or declaration.detach:
            continue
        prefix = declaration.owner.rsplit("__", 1)[0]
        field = declaration.model._meta.get_field(prefix)
        if getattr(field, "related_model", None) is parent.model:
            yield declaration, prefix


@transaction.atomic
def legal_holds_release(*, today: datetime.date | None = None, apply: bool = False) -> dict:
    """Anonymise held rows whose hold ended before ``today``. Without ``apply``, only
    count them. Returns {model label: rows}."""
    today = today or timezone.localdate()
    report = {}
    for declaration in registry.declarations():
        if declaration.closure != registry.Closure.HOLD or not declaration.hold_field:
            continue
        expired = declaration.model._default_manager.filter(
            **{f"{declaration.hold_field}__lt": today, declaration.detach: None}
        )
        for option in registry.closure_options():
            if option.model is declaration.model:
                expired = expired.exclude(**option.mark)
        pks = list(expired.values_list("pk", flat=True))
        report[declaration.label] = len(pks)
        children = list(_children(declaration))
        for child, prefix in children:
            rows = child.model._default_manager.filter(**{f"{prefix}__in": pks})
            report[child.label] = rows.count()
        if not apply or not pks:
            continue
        for child, prefix in children:
            rows = child.model._default_manager.filter(**{f"{prefix}__in": pks})
            _anonymise(rows, child.anonymise)
        values = {**declaration.anonymise, declaration.hold_field: None}
        _anonymise(declaration.model._default_manager.filter(pk__in=pks), values)
        _history_anonymise(declaration, pks)
    return report
