"""Closing an account: the right to be forgotten, with a receipt that proves it.

``account_close`` reads the personal-data declarations (``privacy.registry``):

- ``Closure.DELETE`` models are erased at once, with their django-simple-history rows;
- ``Closure.HOLD`` models (tax records) stay under a legal hold, detached from the
  login (owner set to None in the live rows and in their history rows), until the
  closure date plus their retention period;
- closure options (a lifetime warranty) mark rows the customer chose to keep.

Then ``history_user`` references to the customer are cleared in every history table,
admin log entries that show the e-mail address are rewritten, the customer's sessions
are deleted, and the user row goes last. The shop keeps no copy of the e-mails it sends:
only the task queue holds one until it is sent, deleted a few days later by the
"outgoing-email" retention rule (the receipt says so, this receipt's own e-mail included).

The receipt (``ErasureReceipt``) holds no personal data: the hash of a verification
code that only the customer receives, the date, and one outcome per declared model.
"""

import datetime
import secrets
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import models, transaction
from django.utils import timezone

from privacy import policy, registry
from privacy.accounts.services import security_event_record
from privacy.calendar import months_after
from privacy.emails import email_send
from privacy.history import deletions_unrecorded
from privacy.models import ErasureReceipt, SecurityEventKind, User, erasure
from privacy.purposes import acting_for
from privacy.rights.journal import journal_append
from privacy.rights.receipts import OPTION_ENDED, code_hash

ERASED_REPR = "[erased customer]"

# Things the registry does not hold as rows, reported on every receipt.
EXTRA_OUTCOMES = [
    {"key": "sessions", "outcome": policy.Outcome.DELETE, "until": None, "retention": ""},
    {
        "key": "sent-emails",
        "outcome": policy.Outcome.KEEP,
        "until": None,
        "retention": "outgoing-email",
    },
]


class AccountAlreadyClosed(Exception):
    """The account was closed already (a second click, another tab)."""


@dataclass
class ClosureResult:
    receipt: ErasureReceipt
    code: str


def _code_new() -> str:
    raw = secrets.token_hex(8).upper()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def hold_until(*, retention: str, closed: datetime.date) -> datetime.date | None:
    months = policy.RETENTION[retention].period_months
    if months is None:
        return None
    return months_after(closed, months)


def _historical_models():
    return [
        model
        for model in apps.get_models()
        if getattr(model, "instance_type", None) is not None
        and any(f.name == "history_user" for f in model._meta.get_fields())
    ]


def _history_owner_filter(declaration, user):
    if declaration.owner == "self":
        return {"id": user.pk}
    return {declaration.owner: user.pk}


def _erase_rows(declaration, rows) -> str:
    if declaration.erase == registry.Erase.DELETE:
        rows.delete()
        return policy.Outcome.DELETE
    if declaration.erase == registry.Erase.ANONYMISE:
        for row in rows:  # encrypted values are written row by row
            for name, value in declaration.anonymise.items():
                setattr(row, name, value)
            row.save(update_fields=list(declaration.anonymise))
        return policy.Outcome.ANONYMISE
    for row in rows:
        declaration.erase(row)
    return policy.Outcome.DELETE


def _sessions_delete(user) -> None:
    """End every session of `user`: through the session engine, so a session kept in
    the shared cache too (cached_db) goes from the cache as well as from the table."""
    engine = settings.SESSION_ENGINE
    if engine not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
        "privacy.sessions",
    ):
        return  # signed-cookie or cache sessions die with the user row (auth hash)
    from django.contrib.sessions.models import Session

    store = import_module(engine).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()


@dataclass
class _Collected:
    """The rows of one declared model that belong to the customer, found before any
    row is changed (an order detached first would hide its text messages)."""

    declaration: registry.Declaration
    ids: list
    history_ids: list


def _collect(user) -> list[_Collected]:
    collected = []
    for declaration in registry.declarations():
        if declaration.model is User:
            continue
        model = declaration.model
        ids = list(
            model._default_manager.filter(declaration.owner_filter(user))
            .order_by()
            .values_list("pk", flat=True)
        )
        history_ids = []
        history = declaration.history_model
        if history is not None:
            pk_name = model._meta.pk.attname
            by_row = models.Q(**{f"{pk_name}__in": ids}) if ids else models.Q(pk__in=[])
            history_ids = list(
                history.objects.filter(
                    by_row | models.Q(**_history_owner_filter(declaration, user))
                )
                .order_by()
                .values_list("pk", flat=True)
            )
        collected.append(_Collected(declaration, ids, history_ids))
    return collected


def _rows(model, ids):
    return model._default_manager.filter(pk__in=ids)


def _hold(item: _Collected, closed: datetime.date) -> datetime.date | None:
    """Detach held rows from the login, dated where the rows carry the date."""
    declaration = item.declaration
    until = None
    if declaration.hold_field or not declaration.detach:
        until = hold_until(retention=declaration.retention, closed=closed)
    if declaration.detach:
        change = {declaration.detach: None}
        if declaration.hold_field:
            change[declaration.hold_field] = until
        if declaration.history_model is not None and item.history_ids:
            declaration.history_model.objects.filter(pk__in=item.history_ids).update(**change)
        _rows(declaration.model, item.ids).update(**change)
    return until


def _remaining(item: _Collected) -> tuple[int, int]:
    """(live rows, history rows) of the collected ones still in the database."""
    declaration = item.declaration
    live = _rows(declaration.model, item.ids).count() if item.ids else 0
    history = 0
    if declaration.history_model is not None and item.history_ids:
        history = declaration.history_model.objects.filter(pk__in=item.history_ids).count()
    return live, history


def _outcome(item: _Collected, *, until, held: bool) -> dict:
    """One receipt line, from what is left in the database, not from what was meant."""
    declaration = item.declaration
    live, history = _remaining(item)
    if held:
        outcome = policy.Outcome.KEEP
    elif live == 0 and history == 0:
        outcome = policy.Outcome.DELETE
    elif declaration.erase == registry.Erase.ANONYMISE and not _anonymised_left(item):
        outcome = policy.Outcome.ANONYMISE
    else:
        raise ErasureIncomplete(
            f"{declaration.label}: {live} rows and {history} history rows are left after "
            "erasing them"
        )
    return {
        "key": declaration.label,
        "outcome": outcome,
        "until": until.isoformat() if until else None,
        "retention": declaration.retention if held else "",
        "rows": len(item.ids),
        "history_rows": len(item.history_ids),
        # Live rows: history copies left have their own line (_history_outcomes).
        "remaining": live,
    }


def _history_outcomes(collected: list[_Collected], dates: dict) -> list[dict]:
    """The change history, counted from the database: one line per held kind of record
    whose earlier versions stay under its hold, and one for the versions erased."""
    lines, erased = [], 0
    for item in collected:
        declaration = item.declaration
        if declaration.history_model is None or not item.history_ids:
            continue
        left = declaration.history_model.objects.filter(pk__in=item.history_ids).count()
        erased += len(item.history_ids) - left
        until = dates.get(declaration.label)
        if left:
            lines.append(
                {
                    "key": f"history:{declaration.label}",
                    "outcome": policy.Outcome.KEEP,
                    "until": until.isoformat() if until else None,
                    "retention": declaration.retention,
                    "rows": left,
                    "remaining": left,
                }
            )
    erased_line = {"key": "history", "outcome": policy.Outcome.DELETE, "until": None}
    return [*lines, {**erased_line, "retention": "", "rows": erased, "remaining": 0}]


def _anonymised_left(item: _Collected) -> int:
    """Collected rows whose anonymised fields still hold something else."""
    declaration = item.declaration
    left = 0
    for row in _rows(declaration.model, item.ids).only("pk", *declaration.anonymise):
        if any(getattr(row, n) != v for n, v in declaration.anonymise.items()):
            left += 1
    return left


def _kept_line(key: str, retention: str, kept: registry.Kept, count: int) -> dict:
    return {
        "key": key,
        "outcome": policy.Outcome.KEEP,
        "until": None,
        "retention": retention,
        "rows": count,
        "remaining": count,
        "minimised": sorted(kept.minimise),
    }


def _keep_followers(option, kept_ids, collected: list[_Collected]) -> list[dict]:
    """Rows kept with the option's kept rows (a kept order's warranty claims): taken
    out of what is erased, detached from the login and minimised, history included.
    Each kept kind of record gets a line, and its history copies one more, counted
    from the database once changed."""
    lines = []
    by_model = {item.declaration.model: item for item in collected}
    for kept in option.keeps:
        model = kept.model
        item = by_model.get(model)
        if item is None or not item.ids:
            continue
        rows = model._default_manager.filter(pk__in=item.ids, **{f"{kept.path}__in": kept_ids})
        ids = set(rows.order_by().values_list("pk", flat=True))
        if not ids:
            continue
        item.ids = [pk for pk in item.ids if pk not in ids]
        change = {kept.detach: None} if kept.detach else {}
        # A queryset update: it writes no new history copy of the full rows.
        model._default_manager.filter(pk__in=ids).update(**change, **kept.minimise)
        label = item.declaration.label
        lines.append(_kept_line(label, option.retention, kept, _rows(model, ids).count()))
        history = item.declaration.history_model
        if history is None:
            continue
        kept_history = history.objects.filter(**{f"{model._meta.pk.attname}__in": ids})
        item.history_ids = list(
            history.objects.filter(pk__in=item.history_ids)
            .exclude(pk__in=kept_history.values("pk"))
            .values_list("pk", flat=True)
        )
        reasons = {"history_change_reason": None} if kept.minimise else {}
        kept_history.update(**change, **kept.minimise, **reasons)
        versions = kept_history.count()
        if versions:
            lines.append(_kept_line(f"history:{label}", option.retention, kept, versions))
    return lines


class ErasureIncomplete(Exception):
    """Rows meant to be erased are still there: the closure is rolled back rather than
    give the customer a receipt that says otherwise."""


@acting_for("erasure")
@transaction.atomic
def account_close(
    *, user: User, keep: frozenset = frozenset(), request=None, notify: bool = True
) -> ClosureResult:
    """Close ``user``'s account and erase their data as the declarations say.

    Every row to erase is collected first (through the customer, their orders, claims,
    messages and history), then held rows are detached and the others erased, then
    what remains is counted: the receipt says what the database shows. ``keep`` holds
    the keys of closure options the customer chose (e.g. ``"lifetime-warranty"``).
    Once committed, the closure is written to the erasure journal (a restored backup
    is closed again from it); ``notify=False`` sends no receipt (a replay). Raises
    ``AccountAlreadyClosed`` when the account is gone or inactive; then nothing
    changes."""
    locked = User.objects.select_for_update().filter(pk=user.pk, is_active=True).first()
    if locked is None:
        raise AccountAlreadyClosed
    email, language = locked.email, locked.language
    closed = timezone.localdate()
    collected = _collect(locked)
    outcomes = []

    kept_lines = []
    for option in registry.closure_options():
        rows = option.rows_for(locked)
        if not rows.exists():
            continue
        chosen = option.key in keep
        if chosen:
            kept = list(rows.values_list("pk", flat=True))
            rows.update(**option.mark_for(locked))
            kept_lines += _keep_followers(option, kept, collected)
        outcomes.append(
            {
                "key": f"option:{option.key}",
                "outcome": policy.Outcome.KEEP if chosen else OPTION_ENDED,
                "until": None,
                "retention": option.retention,
                "rows": rows.count(),
            }
        )

    # Deleted rows get no last history row: their history goes below, by the ids found.
    with erasure(), deletions_unrecorded():
        dates = {}
        for item in collected:  # held rows first: they keep their path to nothing
            if item.declaration.closure == registry.Closure.HOLD:
                dates[item.declaration.label] = _hold(item, closed)
        for item in reversed(collected):  # dependants (declared after) before parents
            declaration = item.declaration
            if (
                declaration.closure == registry.Closure.HOLD
                or not item.ids
                and not (item.history_ids)
            ):
                continue
            if item.ids:
                _erase_rows(declaration, _rows(declaration.model, item.ids))
            # After the rows (an anonymised row's save writes one more history row).
            history = declaration.history_model
            if history is not None:
                pk_name = declaration.model._meta.pk.attname
                history.objects.filter(
                    models.Q(pk__in=item.history_ids) | models.Q(**{f"{pk_name}__in": item.ids})
                ).delete()
        for item in collected:
            held = item.declaration.closure == registry.Closure.HOLD
            until = dates.get(item.declaration.label)
            outcomes.append(_outcome(item, until=until, held=held))
        outcomes.extend(_history_outcomes(collected, dates))

        # One line per kind of record: "deleted: none" beside "kept" says nothing true.
        kept_keys = {line["key"] for line in kept_lines}
        outcomes = [
            line
            for line in outcomes
            if not (
                line["key"] in kept_keys
                and line["outcome"] == policy.Outcome.DELETE
                and line.get("rows") == 0
            )
        ]
        outcomes.extend(kept_lines)

        for model in _historical_models():
            model.objects.filter(history_user_id=locked.pk).update(history_user=None)
        LogEntry.objects.filter(object_repr__icontains=email).update(object_repr=ERASED_REPR)
        _sessions_delete(locked)
        User.objects.filter(pk=locked.pk).delete()
        versions, _ = User.history.model.objects.filter(id=locked.pk).delete()
        for line in outcomes:  # the account's earlier versions are erased history too
            if line["key"] == "history":
                line["rows"] += versions
        left = User.objects.filter(pk=locked.pk).count() + (
            User.history.model.objects.filter(id=locked.pk).count()
        )
        if left:
            raise ErasureIncomplete(f"privacy.user: {left} rows left")
        outcomes.append(
            {
                "key": "privacy.user",
                "outcome": policy.Outcome.DELETE,
                "until": None,
                "retention": "",
                "rows": 1,
                "remaining": 0,
            }
        )
    outcomes.extend(EXTRA_OUTCOMES)

    code = _code_new()
    receipt = ErasureReceipt.objects.create(
        code_hash=code_hash(code), language=language, outcomes=outcomes
    )
    # The log keeps that an account was closed, with no link to a person.
    security_event_record(kind=SecurityEventKind.ACCOUNT_CLOSED, detail=f"receipt {receipt.pk}")
    user_id = locked.pk
    # robust: the closure is committed whatever happens here; a failed write is logged
    # (and /readyz/ reports a journal it cannot write to).
    transaction.on_commit(lambda: journal_append(user_id=user_id, email=email), robust=True)
    if not notify:
        return ClosureResult(receipt=receipt, code=code)
    transaction.on_commit(
        lambda: email_send(
            to=email,
            template="privacy/emails/erasure_receipt",
            context={"receipt": receipt, "code": code},
            language=language,
        )
    )
    return ClosureResult(receipt=receipt, code=code)
