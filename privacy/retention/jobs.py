"""Retention jobs: what carries out each rule of the schedule (see the package docs)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Expression

from privacy import policy
from privacy.changes import rows_change_announced
from privacy.history import deletions_unrecorded
from privacy.registry import history_model


class IdList(Expression):
    """The primary keys of a batch of ``model`` rows, for ``__in``
    (``filter(user_id__in=IdList(User, ids))``). Given a plain list, the ORM checks and
    converts every value again for each query: milliseconds per batch and query, more
    than the query itself. Integers are sent as they are; other keys (UUIDs) are
    converted by the primary key field."""

    def __init__(self, model, ids):
        self.pk = model._meta.pk
        super().__init__(output_field=self.pk)
        self.ids = list(ids)
        if not self.ids:
            raise ValueError("An empty IdList would be invalid SQL: skip the query instead.")

    def as_sql(self, compiler, connection):
        params = [
            pk if type(pk) is int else self.pk.get_db_prep_value(pk, connection) for pk in self.ids
        ]
        return "(" + ", ".join(["%s"] * len(params)) + ")", params


def delete_rows(queryset) -> int:
    """Delete the rows through the ORM (cascades and signals run), then every historical
    copy of them, which would defeat the deletion. No last copy is written for the rows
    deleted (``deletions_unrecorded``): it would be deleted straight away."""
    model = queryset.model
    ids = list(queryset.order_by().values_list("pk", flat=True))
    if not ids:
        return 0
    batch = IdList(model, ids)
    # nor are the rows' fields read for it (only the key)
    with rows_change_announced(model, ids), deletions_unrecorded():
        model._default_manager.filter(pk__in=batch).only("pk").delete()
    history = history_model(model)
    if history is not None:
        history._default_manager.filter(**{f"{model._meta.pk.attname}__in": batch}).delete()
    return len(ids)


def anonymise_rows(replacements: dict, *, mark: dict | None = None) -> Callable:
    """An ``act`` that overwrites fields with fixed values, in the live rows and in their
    history. One UPDATE per batch: an encrypted field gets one ciphertext of the
    replacement, computed once."""

    def act(queryset) -> int:
        model = queryset.model
        ids = list(queryset.order_by().values_list("pk", flat=True))
        if not ids:
            return 0
        batch = IdList(model, ids)
        with rows_change_announced(model, ids):
            changed = model._default_manager.filter(pk__in=batch).update(
                **replacements, **(mark or {})
            )
        history = history_model(model)
        if history is not None:
            history_fields = {f.name for f in history._meta.concrete_fields}
            history._default_manager.filter(**{f"{model._meta.pk.attname}__in": batch}).update(
                **{k: v for k, v in replacements.items() if k in history_fields}
            )
        return changed

    return act


@dataclass(frozen=True)
class RetentionJob:
    rule: str
    model: type
    due: Callable[[datetime.datetime, datetime.timedelta | None], models.QuerySet]
    act: Callable[[models.QuerySet], int]
    name: str = ""
    # What the report says was done, when not the rule's action (e.g. "notify").
    action: str = ""

    @property
    def policy_rule(self):
        return policy.RETENTION[self.rule]

    @property
    def label(self) -> str:
        return self.name or f"{self.rule}: {self.model._meta.label_lower}"


_jobs: list[RetentionJob] = []


def register(*, rule: str, model, due, act, name: str = "", action: str = "") -> RetentionJob:
    if rule not in policy.RETENTION:
        raise ImproperlyConfigured(f"Retention job for unknown rule {rule!r}.")
    if policy.RETENTION[rule].action == policy.Outcome.KEEP:
        raise ImproperlyConfigured(f"Rule {rule!r} keeps its data: it takes no job.")
    job = RetentionJob(rule=rule, model=model, due=due, act=act, name=name, action=action)
    if any(existing.label == job.label for existing in _jobs):
        raise ImproperlyConfigured(f"Retention job {job.label!r} is registered twice.")
    _jobs.append(job)
    return job


def jobs() -> list[RetentionJob]:
    """Every registered job, in the schedule's order."""
    order = list(policy.RETENTION)
    return sorted(_jobs, key=lambda job: (order.index(job.rule), job.label))


@dataclass(frozen=True)
class KeptCounter:
    """Counts the rows a keep rule holds on to, so a run can say what it kept and why."""

    rule: str
    model: type
    rows: Callable[[datetime.datetime], models.QuerySet]
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or f"{self.rule}: {self.model._meta.label_lower}"


_kept: list[KeptCounter] = []


def register_kept(*, rule: str, model, rows, name: str = "") -> KeptCounter:
    if policy.RETENTION.get(rule) is None or policy.RETENTION[rule].action != policy.Outcome.KEEP:
        raise ImproperlyConfigured(f"{rule!r} is not a keep rule of the retention schedule.")
    counter = KeptCounter(rule=rule, model=model, rows=rows, name=name)
    _kept.append(counter)
    return counter


def kept_counters() -> list[KeptCounter]:
    return list(_kept)
