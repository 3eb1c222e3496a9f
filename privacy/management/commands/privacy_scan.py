"""Scan every table of the database for personal data stored in clear.

    manage.py privacy_scan                      # patterns: e-mail, IP, phone
    manage.py privacy_scan --marker "Zebulon" --marker "QX7 4ZZ"
    manage.py privacy_scan --all                # also list what is declared or encrypted

Run it against a copy of production (it reads every row). It exits with an error when
something personal is stored in clear in a column that the registry does not declare.
"""

from django.core.management.base import BaseCommand, CommandError

from privacy.scan import database_scan


class Command(BaseCommand):
    help = "Read every row of every table and report personal data stored in clear."

    def add_arguments(self, parser):
        parser.add_argument(
            "--marker",
            action="append",
            default=[],
            help="A value to look for (repeat). Without markers, patterns are used.",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--all",
            action="store_true",
            help="List declared columns and encrypted values too, not only violations.",
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        report = database_scan(markers=options["marker"], batch_size=options["batch_size"])
        shown = report.findings if options["all"] else report.violations()
        for finding in shown:
            self.stdout.write(str(finding))
        violations = report.violations()
        self.stdout.write(
            f"Scanned {report.tables} tables, {report.rows} rows, {report.values} values: "
            f"{len(report.in_clear())} in clear, {len(violations)} not declared."
        )
        if violations:
            tables = sorted({f"{f.table}.{f.column}" for f in violations})
            raise CommandError(f"Personal data in clear, undeclared: {', '.join(tables)}")
        self.stdout.write(self.style.SUCCESS("No undeclared personal data in clear."))
