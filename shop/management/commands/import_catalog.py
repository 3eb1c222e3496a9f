"""manage.py import_catalog FILE --kind modules|systems [--demo replace|keep|refuse]
[--dry-run]: load a real catalog from a CSV (comma or semicolon) or XLSX file, with the
same rules as the admin's import page. Any bad row: every problem is listed (row,
column, value, what is accepted), nothing is written, and the command fails. While demo
data is on sale, --demo says what happens to it (refuse, the default, imports nothing)."""

from django.core.management.base import BaseCommand, CommandError

from shop.catalog.imports import (
    RESOURCES,
    CatalogImportRefused,
    DemoPolicy,
    catalog_file_read,
    catalog_import,
    import_problems,
)


class Command(BaseCommand):
    help = "Import memory modules or computer systems from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=sorted(RESOURCES))
        parser.add_argument(
            "--demo",
            choices=[value for value, _label in DemoPolicy.CHOICES],
            default=DemoPolicy.REFUSE,
            help="What happens to demo data still on sale: replace it, keep it, or refuse.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, file, kind, demo, dry_run, **options):
        try:
            dataset = catalog_file_read(file)
            checked = catalog_import(kind=kind, dataset=dataset, dry_run=True, demo=demo)
        except (CatalogImportRefused, OSError) as refusal:
            raise CommandError(str(refusal)) from refusal
        problems = import_problems(
            checked, resource=RESOURCES[kind](), headers=dataset.headers or ()
        )
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s) in {file}: nothing was imported.")
        result = (
            checked
            if dry_run
            else catalog_import(kind=kind, dataset=dataset, dry_run=False, demo=demo)
        )
        totals = result.totals
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Dry run: would import' if dry_run else 'Imported'} {kind} from {file}: "
                f"{totals['new']} new, {totals['update']} changed, {totals['skip']} unchanged."
            )
        )
