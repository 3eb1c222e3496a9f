"""The retention run: for each job, count what is due and, with ``apply``, carry it out
in batches, each batch in its own transaction."""

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from privacy import policy
from privacy.lifecycle import Lifecycle, lifecycle_move
from privacy.models import RetentionRun, RetentionRunStatus
from privacy.purposes import acting_for
from privacy.retention.jobs import IdList, RetentionJob, jobs, kept_counters

STALE_AFTER = datetime.timedelta(minutes=30)
R = RetentionRunStatus

# A run that applies the schedule ends once, one way; a dry run is recorded as such.
RETENTION_RUN_LIFECYCLE = Lifecycle(
    moves={
        R.RUNNING: frozenset({R.SUCCEEDED, R.FAILED, R.INTERRUPTED}),
        R.SUCCEEDED: frozenset(),
        R.FAILED: frozenset(),
        R.INTERRUPTED: frozenset(),
        R.DRY_RUN: frozenset(),
    },
    stamps={R.SUCCEEDED: "finished_at", R.FAILED: "finished_at", R.INTERRUPTED: "finished_at"},
)


class RetentionBusy(Exception):
    """Another run holds the lock."""


class RetentionStalled(Exception):
    """A job's batch changed nothing, so the same rows would come back forever."""


@dataclass
class RuleReport:
    rule: str
    job: str
    action: str
    due: int
    done: int = 0
    why: str = ""


Progress = Callable[[RuleReport, int], None]


def _lock(*, now: datetime.datetime) -> RetentionRun:
    """Take the one ``running`` slot; a run silent for STALE_AFTER is taken to have died."""
    stale = RetentionRun.objects.filter(
        status=R.RUNNING, heartbeat_at__lt=timezone.now() - STALE_AFTER
    )
    for run in stale:
        lifecycle_move(
            lifecycle=RETENTION_RUN_LIFECYCLE,
            row=run,
            to=R.FAILED,
            reason="no sign of life",
            extra_fields={"error": "No sign of life: the process stopped without finishing."},
        )
    try:
        with transaction.atomic():
            return RetentionRun.objects.create(now=now, applied=True)
    except IntegrityError:
        running = RetentionRun.objects.filter(status=RetentionRunStatus.RUNNING).first()
        raise RetentionBusy(
            f"Another retention run (#{running.pk if running else '?'}) is in progress."
        ) from None


def _apply(job: RetentionJob, report: RuleReport, *, now, batch_size, run, progress) -> None:
    """Carry out ``job`` in batches in primary-key order, each batch starting past the
    last (a search from the first row would step again over every row done and kept,
    such as anonymised orders: quadratic). When no row is left past the last batch, a
    new pass starts from the first row, for rows that became due behind it, until a
    pass finds nothing. A pass that starts with the same batch as the previous one
    means the job changes nothing: it stops instead of looping."""
    period = job.policy_rule.period_at(now)
    previous_first = None
    while True:
        first = _pass(
            job,
            report,
            now=now,
            period=period,
            batch_size=batch_size,
            run=run,
            progress=progress,
            previous_first=previous_first,
        )
        if first is None:
            return
        previous_first = first


def _pass(job, report, *, now, period, batch_size, run, progress, previous_first) -> list | None:
    """One pass over the due rows; returns its first batch (None: nothing was due)."""
    first = after = None
    while True:
        with transaction.atomic():
            due = job.due(now, period)
            if after is not None:
                due = due.filter(pk__gt=after)
            ids = list(due.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                return first
            if first is None:
                if ids == previous_first:
                    raise RetentionStalled(f"{job.label}: a batch changed nothing; stopping.")
                first = ids
            job.act(job.model._default_manager.filter(pk__in=IdList(job.model, ids)))
            # In the batch's transaction: one commit per batch.
            RetentionRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
        after = ids[-1]
        report.done += len(ids)
        if progress:
            progress(report, len(ids))


@acting_for("retention")
def retention_run(
    *,
    now: datetime.datetime | None = None,
    apply: bool = False,
    batch_size: int = 2000,
    rules: list[str] | None = None,
    progress: Progress | None = None,
) -> tuple[RetentionRun, list[RuleReport]]:
    """Count (and with ``apply``, carry out) every retention job due at ``now``.

    Every run is recorded, dry runs too. A failure or an interruption is recorded and
    re-raised; the batches already committed stay done, and the next run goes on."""
    now = now or timezone.now()
    unknown = [key for key in rules or [] if key not in policy.RETENTION]
    if unknown:
        raise ValueError(f"Unknown retention rules: {', '.join(unknown)}")
    selected = [job for job in jobs() if not rules or job.rule in rules]
    run = _lock(now=now) if apply else RetentionRun(now=now, status=RetentionRunStatus.DRY_RUN)
    reports = [
        RuleReport(
            rule=job.rule,
            job=job.label,
            action=job.action or job.policy_rule.action,
            due=job.due(now, job.policy_rule.period_at(now)).count(),
            why=f"{job.policy_rule.period_label} after {job.policy_rule.trigger}",
        )
        for job in selected
    ]
    reports += [
        RuleReport(
            rule=counter.rule,
            job=counter.label,
            action=policy.Outcome.KEEP,
            due=counter.rows(now).count(),
            why=str(policy.RETENTION[counter.rule].until),
        )
        for counter in kept_counters()
        if not rules or counter.rule in rules
    ]
    try:
        if apply:
            for job, report in zip(selected, reports, strict=False):
                if report.due:
                    _apply(job, report, now=now, batch_size=batch_size, run=run, progress=progress)
    except BaseException as error:
        ended = R.INTERRUPTED if isinstance(error, KeyboardInterrupt) else R.FAILED
        _finish(run, reports, to=ended, error=f"{type(error).__name__}: {error}")
        raise
    _finish(run, reports, to=R.SUCCEEDED if apply else None)
    return run, reports


def _finish(run: RetentionRun, reports: list[RuleReport], *, to: str | None, error="") -> None:
    """Record what the run found and did; an applied run ends through its lifecycle,
    a dry run is written once, as it is."""
    rules = [asdict(report) for report in reports]
    if to is None:
        run.rules = rules
        run.finished_at = timezone.now()
        run.save()
        return
    lifecycle_move(
        lifecycle=RETENTION_RUN_LIFECYCLE,
        row=run,
        to=to,
        reason=to,
        extra_fields={"rules": rules, "error": error},
    )
