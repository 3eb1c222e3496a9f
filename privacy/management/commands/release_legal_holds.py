from django.core.management.base import BaseCommand

from privacy.legal_holds import legal_holds_release


class Command(BaseCommand):
    help = (
        "Anonymise records kept for tax after an account closure once their legal hold "
        "has ended. A dry run unless --apply."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Anonymise (default: report).")

    def handle(self, *args, apply, **options):
        report = legal_holds_release(apply=apply)
        verb = "anonymised" if apply else "would be anonymised"
        for label, count in report.items():
            self.stdout.write(f"{label}: {count} row(s) {verb}")
