from datetime import date

from django.core.management.base import BaseCommand, CommandError

from shop.invoices.export import documents_export


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} must be a date written YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Write the invoices and credit notes issued in a period as CSV for the accountant "
        "(number, date, country, currency, net, VAT per rate, gross)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="last", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--output", help="A file to write (default: standard output).")

    def handle(self, *args, first, last, output=None, **options):
        first, last = _day(first, "--from"), _day(last, "--to")
        if last < first:
            raise CommandError("--to is before --from: nothing can be issued in that period.")
        if output:
            try:
                with open(output, "w", newline="", encoding="utf-8") as out:
                    written = documents_export(first=first, last=last, out=out)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
            self.stderr.write(f"{written} document(s) written to {output}.")
        else:
            written = documents_export(first=first, last=last, out=self.stdout)
            self.stderr.write(f"{written} document(s).")
