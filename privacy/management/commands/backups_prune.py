"""Delete database backups older than the schedule's ``backups`` period, with the erasure
journal entries no kept backup can need. A dry run unless --apply."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy.rights.backups import backups_prune


class Command(BaseCommand):
    help = "Apply the backups retention rule to a folder of pg_dump files. Dry run by default."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=settings.OFFTEK_BACKUP_DIR,
            help="The folder holding the dump files (default: OFFTEK_BACKUP_DIR).",
        )
        parser.add_argument("--apply", action="store_true", help="Delete (default: report).")

    def handle(self, *args, dir="", apply=False, **options):
        if not dir:
            raise CommandError("Give the backups folder with --dir or OFFTEK_BACKUP_DIR.")
        try:
            report = backups_prune(directory=Path(dir), apply=apply)
        except OSError as error:
            raise CommandError(f"The backups folder cannot be read: {error}") from error
        verb = "deleted" if apply else "would be deleted"
        self.stdout.write(
            f"{len(report.backups)} backups and {len(report.journal_entries)} "
            f"erasure-journal entries {verb}."
        )
        for path in report.backups:
            self.stdout.write(f"  {path.name}")
