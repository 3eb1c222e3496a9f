"""Backups follow a retention rule of their own (``backups`` in the schedule): dump
files older than its period are deleted, and so are erasure-journal entries older than
the oldest backup still kept (no restore can need them any more)."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from privacy import policy
from privacy.rights.journal import journal_dir

BACKUP_SUFFIXES = (".dump", ".sql", ".sql.gz", ".tar")


@dataclass
class PruneReport:
    backups: list[Path] = field(default_factory=list)
    journal_entries: list[Path] = field(default_factory=list)


def _older_than(path: Path, cutoff: datetime.datetime) -> bool:
    modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
    return modified < cutoff


def backups_prune(*, directory: Path, apply: bool) -> PruneReport:
    """What the ``backups`` rule deletes now (and, with ``apply``, delete it)."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is not a directory")
    now = timezone.now()
    cutoff = now - policy.RETENTION["backups"].period_at(now)
    report = PruneReport()
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.name.endswith(BACKUP_SUFFIXES) and _older_than(path, cutoff):
            report.backups.append(path)
    journal = journal_dir()
    if journal.is_dir():
        for path in sorted(journal.glob("*.json")):
            if _older_than(path, cutoff):
                report.journal_entries.append(path)
    if apply:
        for path in [*report.backups, *report.journal_entries]:
            path.unlink(missing_ok=True)
    return report
