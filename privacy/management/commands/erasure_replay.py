"""After restoring a database backup: close again the accounts closed since it was taken
(from the erasure journal). A dry run unless --apply."""

from django.core.management.base import BaseCommand, CommandError

from privacy.rights.replay import erasures_replay


class Command(BaseCommand):
    help = (
        "Close again every account that the erasure journal says was closed: run it "
        "after restoring a backup, before the shop serves customers. Dry run by default."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Close the accounts (default: only report)."
        )

    def handle(self, *args, apply=False, **options):
        try:
            report = erasures_replay(apply=apply)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"The erasure journal cannot be read: {error}") from error
        verb = "closed again" if apply else "would be closed again"
        self.stdout.write(
            f"{report.entries} journal entries; {len(report.closed)} accounts {verb}."
        )
        if report.closed and not apply:
            self.stdout.write("Run with --apply to close them.")
