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

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.utils import timezone

from privacy import policy, registry
from privacy.accounts.services import security_event_record
from privacy.calendar import months_after
from privacy.emails import email_send
from privacy.history import deletions_unrecorded
from privacy.models import ErasureReceipt, SecurityEventKind, User, erasure
from privacy.rights.receipts import OPTION_ENDED, code_hash, receipt_lines

ERASED_REPR = "[erased customer]"

# Things the registry does not hold as rows, reported on every receipt.
EXTRA_OUTCOMES = [
    {"key": "sessions", "outcome": policy.Outcome.DELETE, "until": None, "retention": ""},
    {"key": "history", "outcome": policy.Outcome.DELETE, "until": None, "retention": ""},
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
    engine = settings.SESSION_ENGINE
    if engine not in ("django.contrib.sessions.backends.db",):
        return  # signed-cookie or cache sessions die with the user row (auth hash)
    from django.contrib.sessions.models import Session

    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()


@transaction.atomic
def account_close(*, user: User, keep: frozenset = frozenset(), request=None) -> ClosureResult:
    """Close ``user``'s account and erase their data as the declarations say.

    ``keep`` holds the keys of closure options the customer chose (e.g.
    ``"lifetime-warranty"``). Raises ``AccountAlreadyClosed`` when the account is gone
    or inactive; then nothing changes."""
    locked = User.objects.select_for_update().filter(pk=user.pk, is_active=True).first()
    if locked is None:
        raise AccountAlreadyClosed
    email, language = locked.email, locked.language
    closed = timezone.localdate()
    outcomes = []

    for option in registry.closure_options():
        rows = option.rows_for(locked)
        if not rows.exists():
            continue
        chosen = option.key in keep
        if chosen:
            rows.update(**option.mark)
        outcomes.append(
            {
                "key": f"option:{option.key}",
                "outcome": policy.Outcome.KEEP if chosen else OPTION_ENDED,
                "until": None,
                "retention": option.retention,
            }
        )

    # Deleted rows get no last history row: their history goes below, by owner.
    with erasure(), deletions_unrecorded():
        for declaration in registry.declarations():
            if declaration.model is User:
                continue
            rows = declaration.model._default_manager.filter(declaration.owner_filter(locked))
            history = declaration.history_model
            if declaration.closure == registry.Closure.HOLD:
                # Dated where the rows (or the parent they follow) carry the date;
                # others run from their own trigger (a privacy request: its closure).
                until = None
                if declaration.hold_field or not declaration.detach:
                    until = hold_until(retention=declaration.retention, closed=closed)
                if declaration.detach:
                    change = {declaration.detach: None}
                    if declaration.hold_field:
                        change[declaration.hold_field] = until
                    if history is not None:
                        history.objects.filter(**_history_owner_filter(declaration, locked)).update(
                            **change
                        )
                    rows.update(**change)
                outcomes.append(
                    {
                        "key": declaration.label,
                        "outcome": policy.Outcome.KEEP,
                        "until": until.isoformat() if until else None,
                        "retention": declaration.retention,
                    }
                )
                continue
            outcome = _erase_rows(declaration, rows)
            # After the rows (an anonymised row's save writes one more history row).
            if history is not None:
                history.objects.filter(**_history_owner_filter(declaration, locked)).delete()
            outcomes.append(
                {"key": declaration.label, "outcome": outcome, "until": None, "retention": ""}
            )

        for model in _historical_models():
            model.objects.filter(history_user_id=locked.pk).update(history_user=None)
        LogEntry.objects.filter(object_repr__icontains=email).update(object_repr=ERASED_REPR)
        _sessions_delete(locked)
        User.objects.filter(pk=locked.pk).delete()
        User.history.model.objects.filter(id=locked.pk).delete()
        outcomes.append(
            {
                "key": "privacy.user",
                "outcome": policy.Outcome.DELETE,
                "until": None,
                "retention": "",
            }
        )
    outcomes.extend(EXTRA_OUTCOMES)

    code = _code_new()
    receipt = ErasureReceipt.objects.create(
        code_hash=code_hash(code), language=language, outcomes=outcomes
    )
    # The log keeps that an account was closed, with no link to a person.
    security_event_record(kind=SecurityEventKind.ACCOUNT_CLOSED, detail=f"receipt {receipt.pk}")
    lines = receipt_lines(receipt=receipt)
    transaction.on_commit(
        lambda: email_send(
            to=email,
            template="privacy/emails/erasure_receipt",
            context={"receipt": receipt, "code": code, "lines": lines},
            language=language,
        )
    )
    return ClosureResult(receipt=receipt, code=code)
