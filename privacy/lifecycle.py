"""The one transition skeleton for every lifecycle with states.

Orders, payments, refunds, outbox messages, retention runs, warranty claims and
privacy requests each describe their moves as data (a `Lifecycle`) and change status
only through `lifecycle_move`, which locks the row, refuses a move the table forbids
with `IllegalTransition`, does nothing when the row is already in the target state,
keeps the moves only a staff decision may make (`staff_moves`) for callers that name
the staff member (`by`), stamps the time of first arrival where the lifecycle keeps
one, and saves with a history reason. What else happens on a move
(stock, events, e-mails) is the caller's `on_enter`, run inside the same transaction.

It lives in privacy because privacy is the framework every app plugs into; the shop
imports it, privacy never imports the shop.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone


class IllegalTransition(Exception):
    """The row's status may not move from where it is to where it was asked to go."""

    def __init__(self, row: models.Model, from_status: str, to_status: str):
        self.row = row
        self.from_status = from_status
        self.to_status = to_status
        label = getattr(row, "number", None) or getattr(row, "reference", None) or row.pk
        name = type(row).__name__
        super().__init__(f"{name} {label}: {from_status} -> {to_status} is not allowed")


@dataclass(frozen=True)
class Lifecycle:
    """A state machine as data: the allowed moves, the moves only a staff member's
    decision may make (never a webhook, a task or a customer's page), and the
    timestamp field (if any) set the first time a row enters a status."""

    moves: Mapping[str, frozenset[str]]
    stamps: Mapping[str, str] = field(default_factory=dict)
    status_field: str = "status"
    staff_moves: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def allows(self, from_status: str, to_status: str, *, by_staff: bool = False) -> bool:
        if to_status in self.moves.get(from_status, frozenset()):
            return True
        return by_staff and to_status in self.staff_moves.get(from_status, frozenset())


def row_lock[M: models.Model](row: M) -> M:
    """The row, re-read and locked until the end of the transaction: the one row-lock
    helper of the project (an order, a payment, a refund, an outbox message...)."""
    return type(row)._default_manager.select_for_update().get(pk=row.pk)


@transaction.atomic
def lifecycle_move[M: models.Model](
    *,
    lifecycle: Lifecycle,
    row: M,
    to: str,
    reason: str = "",
    before: Callable[[M, str], None] | None = None,
    on_enter: Callable[[M, str], None] | None = None,
    extra_fields: Mapping[str, object] | None = None,
    by=None,
) -> bool:
    """Move `row` to status `to`. Returns False (changing nothing) when it is already
    there; raises IllegalTransition for a move the lifecycle forbids. `before(locked,
    from_status)` runs after the check and may raise to refuse the move with nothing
    written; `on_enter(locked, from_status)` runs after the save. `extra_fields` are
    saved with the status in the same write. `by`: the staff member whose decision
    this is, which alone unlocks the lifecycle's `staff_moves`. The caller's `row` is
    refreshed."""
    locked = row_lock(row)
    status_field = lifecycle.status_field
    from_status = getattr(locked, status_field)
    if from_status == to:
        row.refresh_from_db()
        return False
    by_staff = bool(getattr(by, "is_staff", False))
    if not lifecycle.allows(from_status, to, by_staff=by_staff):
        raise IllegalTransition(locked, from_status, to)
    if before is not None:
        before(locked, from_status)
    update_fields = [status_field]
    setattr(locked, status_field, to)
    stamp = lifecycle.stamps.get(to)
    if stamp and getattr(locked, stamp) is None:
        setattr(locked, stamp, timezone.now())
        update_fields.append(stamp)
    for name, value in (extra_fields or {}).items():
        setattr(locked, name, value)
        update_fields.append(name)
    if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
        update_fields.append("updated_at")
    locked._change_reason = reason[:100]
    locked.save(update_fields=update_fields)
    if on_enter is not None:
        on_enter(locked, from_status)
    row.refresh_from_db()
    return True
