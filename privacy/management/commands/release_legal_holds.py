"""Kept as an alias: the end of legal holds is the "tax-records" rule of
``manage.py retention`` (``retention --rule tax-records``)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Anonymise records kept for tax after an account closure once their legal hold "
        "has ended (same as: retention --rule tax-records). A dry run unless --apply."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Anonymise (default: report).")

    def handle(self, *args, apply, **options):
        arguments = ["--rule", "tax-records", *(["--apply"] if apply else [])]
        call_command("retention", *arguments, stdout=self.stdout, stderr=self.stderr)
