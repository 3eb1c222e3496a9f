"""The outbox: the one way the project sends a message to a person, e-mail
(privacy.emails) or any other kind an app adds (a text message, say).

A message is written as a row inside the transaction that decides to send it, and a
task carrying only the row's id is queued once that transaction commits; nothing is
ever sent inside a page or a webhook. Each attempt claims the row under its row lock
(status `sending` and the time of the claim) and commits before the provider is
called, so two workers never send the same row at once and a sent row is never sent
again. A transient failure (a connection refused or timed out, a 4xx answer) is
retried after 1, 2, 4, 8... times the outbox's retry delay; after its last attempt,
or at once for a permanent refusal, the row is `dead` and staff see it in the admin,
where "Re-send" queues it again. A worker killed in the middle of a send leaves its
claim behind: once the claim is older than the lease, the row may be claimed again,
and the message goes out with the same key (an e-mail's Message-ID), so that the
provider can tell the one message from a copy.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from privacy.lifecycle import IllegalTransition, Lifecycle, lifecycle_move, row_lock
from privacy.models import OutboxStatus as O

logger = logging.getLogger("privacy.outbox")

OUTBOX_LIFECYCLE = Lifecycle(
    moves={
        O.QUEUED: frozenset({O.SENDING}),
        O.SENDING: frozenset({O.SENT, O.RETRYING, O.DEAD}),
        O.RETRYING: frozenset({O.SENDING}),
        O.SENT: frozenset(),
        O.DEAD: frozenset(),
    },
    # A dead message goes out again only when a staff member says so.
    staff_moves={O.DEAD: frozenset({O.QUEUED})},
    stamps={O.SENT: "sent_at"},
)


@dataclass(frozen=True)
class OutboxRules:
    """How one outbox retries: attempts before it gives up, the first retry delay,
    and how long a worker's claim holds before the row may be claimed again."""

    max_attempts: int
    retry_seconds: int
    claim_seconds: int

    @property
    def lease(self) -> datetime.timedelta:
        return datetime.timedelta(seconds=self.claim_seconds)

    def retry_delay(self, attempts: int) -> datetime.timedelta:
        """1, 2, 4, 8... times `retry_seconds` after the n-th failed attempt."""
        return datetime.timedelta(seconds=self.retry_seconds * 2 ** max(attempts - 1, 0))


def outbox_claim(*, row: models.Model, rules: OutboxRules, now=None) -> bool:
    """Claim `row` for one attempt; True when this worker may send it now. Refused
    (False) when it is sent, dead, not yet due, or claimed by a worker whose claim
    still holds. Commits at once (its own transaction when the caller has none),
    before anything is sent."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = row_lock(row)
        fields = {"claimed_at": now, "attempts": locked.attempts + 1}
        if locked.status == O.SENDING:
            if locked.claimed_at and locked.claimed_at > now - rules.lease:
                row.refresh_from_db()
                return False
            # The worker that claimed it died mid-send: this attempt takes over.
            logger.warning("%s %s: claim expired, sending again", type(row).__name__, row.pk)
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.save(update_fields=list(fields))
            row.refresh_from_db()
            return True
        due = locked.next_attempt_at is None or locked.next_attempt_at <= now
        if locked.status not in (O.QUEUED, O.RETRYING) or not due:
            row.refresh_from_db()
            return False
        lifecycle_move(
            lifecycle=OUTBOX_LIFECYCLE,
            row=locked,
            to=O.SENDING,
            reason="claimed",
            extra_fields=fields,
        )
    row.refresh_from_db()
    return True


def outbox_sent(*, row: models.Model, fields: dict | None = None) -> None:
    """The provider accepted the message: it is never sent again."""
    _finish(row, O.SENT, {"last_error": "", "next_attempt_at": None, **(fields or {})})


def outbox_failed(*, row: models.Model, error: str, transient: bool, rules: OutboxRules) -> str:
    """The attempt failed: try again later (transient, attempts left), or give up."""
    row.refresh_from_db(fields=["attempts"])
    if transient and row.attempts < rules.max_attempts:
        retry_at = timezone.now() + rules.retry_delay(row.attempts)
        _finish(row, O.RETRYING, {"last_error": error[:200], "next_attempt_at": retry_at})
    else:
        logger.warning("%s %s given up: %s", type(row).__name__, row.pk, error[:200])
        _finish(row, O.DEAD, {"last_error": error[:200], "next_attempt_at": None})
    return row.status


def _finish(row: models.Model, to: str, fields: dict) -> None:
    try:
        lifecycle_move(lifecycle=OUTBOX_LIFECYCLE, row=row, to=to, reason=to, extra_fields=fields)
    except IllegalTransition as refused:
        # Another worker took the row over after this one's claim ran out and has
        # already finished it: its outcome stands.
        logger.warning("%s", refused)


def outbox_resend(*, row: models.Model, by) -> bool:
    """Staff queue a dead message again, with a fresh count of attempts. False when
    it is not dead (nothing to do); IllegalTransition without a staff member."""
    row.refresh_from_db(fields=["status"])
    if row.status != O.DEAD:
        return False
    return lifecycle_move(
        lifecycle=OUTBOX_LIFECYCLE,
        row=row,
        to=O.QUEUED,
        reason=f"re-send by staff #{getattr(by, 'pk', '?')}",
        extra_fields={"attempts": 0, "next_attempt_at": None, "claimed_at": None},
        by=by,
    )


def outbox_due(queryset: models.QuerySet, *, rules: OutboxRules, now=None) -> models.QuerySet:
    """The rows a sweep should attempt now: queued, due for a retry, or claimed by a
    worker whose claim ran out."""
    now = now or timezone.now()
    return queryset.filter(
        Q(status=O.QUEUED, next_attempt_at__isnull=True)
        | Q(status__in=[O.QUEUED, O.RETRYING], next_attempt_at__lte=now)
        | Q(status=O.SENDING, claimed_at__lt=now - rules.lease)
    )


def outbox_come_back_at(row: models.Model, *, rules: OutboxRules) -> datetime.datetime | None:
    """When the task for this row should run again (None: nothing left to do)."""
    if row.status == O.RETRYING:
        return row.next_attempt_at
    if row.status == O.SENDING and row.claimed_at:
        return row.claimed_at + rules.lease
    return None
