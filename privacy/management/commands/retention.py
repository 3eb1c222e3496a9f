"""Apply the retention schedule (privacy.policy.RETENTION).

    manage.py retention                 # dry run: what would be deleted, anonymised, kept
    manage.py retention --apply         # do it (daily from cron)
    manage.py retention --apply --json  # for monitoring

Batched, each batch in its own transaction; safe to interrupt and re-run; one run at a
time. Every run, dry or not, is recorded as a RetentionRun for the Privacy Officer.
"""

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from privacy.retention.engine import RetentionBusy, retention_run


def parse_now(value: str) -> datetime.datetime:
    moment = parse_datetime(value)
    if moment is None and (day := parse_date(value)) is not None:
        moment = datetime.datetime.combine(day, datetime.time.min)
    if moment is None:
        raise ValueError(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class ProgressBar:
    """A one-line bar on a terminal; silent when the output is not one (cron)."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled = stream, enabled

    def __call__(self, report, batch: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * report.done / max(report.due, 1))
        self.stream.write(
            f"\r  {report.job[:48]:<48} [{'#' * filled}{'.' * (width - filled)}] "
            f"{report.done}/{report.due}"
        )
        if report.done >= report.due:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Apply the privacy policy's retention schedule (a dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Delete and anonymise.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument(
            "--now", help="Apply the schedule as of this date or ISO time (tests, catch-up)."
        )
        parser.add_argument("--rule", action="append", help="Only this rule (repeatable).")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, **options):
        try:
            now = parse_now(options["now"]) if options["now"] else timezone.now()
        except ValueError:
            raise CommandError(
                f"--now {options['now']!r} is not a date (2026-11-22) or ISO time."
            ) from None
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        progress = ProgressBar(
            sys.stderr, enabled=options["apply"] and not options["json"] and sys.stderr.isatty()
        )
        try:
            run, reports = retention_run(
                now=now,
                apply=options["apply"],
                batch_size=options["batch_size"],
                rules=options["rule"],
                progress=progress,
            )
        except RetentionBusy as error:
            raise CommandError(f"{error} Try again when it has finished.") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        except Exception as error:
            raise CommandError(f"Retention failed and was recorded as failed: {error}") from error
        if options["json"]:
            self.stdout.write(json.dumps(self._as_json(run, reports), indent=2))
        else:
            self._summary(run, reports)

    @staticmethod
    def _as_json(run, reports):
        return {
            "run": run.pk,
            "applied": run.applied,
            "status": run.status,
            "now": run.now.isoformat(),
            "rules": run.rules,
            "totals": _totals(reports, run.applied),
        }

    def _summary(self, run, reports):
        verb = "Applied" if run.applied else "Dry run (nothing changed; --apply to do it)"
        self.stdout.write(f"{verb}: retention as of {run.now:%Y-%m-%d %H:%M %Z}")
        for report in reports:
            count = report.done if run.applied and report.action != "keep" else report.due
            tense = TENSES[report.action]
            if not run.applied and report.action != "keep":
                tense = f"would be {tense}"
            self.stdout.write(f"  {report.job}: {count} {tense} ({report.why})")
        totals = _totals(reports, run.applied)
        self.stdout.write(
            self.style.SUCCESS(
                f"Total: {totals['deleted']} deleted, {totals['anonymised']} anonymised, "
                f"{totals['kept']} kept, {totals['notified']} notified. Run #{run.pk} recorded."
            )
        )


TENSES = {"delete": "deleted", "anonymise": "anonymised", "keep": "kept", "notify": "notified"}


def _totals(reports, applied: bool) -> dict:
    totals = {"deleted": 0, "anonymised": 0, "kept": 0, "notified": 0}
    for report in reports:
        key = TENSES[report.action]
        totals[key] += report.done if applied and report.action != "keep" else report.due
    return totals
