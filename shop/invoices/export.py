"""The accountant's CSV: one row per invoice or credit note issued in a period (credit
notes negative), with the net, the VAT and its basis per rate, and the gross."""

import csv
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from shop.models import Document, DocumentKind


def _amount(minor: int, sign: int) -> str:
    return f"{Decimal(sign * minor) / 100:.2f}"


def _rate_name(rate_bp: int) -> str:
    return f"{Decimal(rate_bp) / 100:.2f}".rstrip("0").rstrip(".")


def documents_export(*, first: date, last: date, out) -> int:
    """Write the documents issued from `first` to `last` (both included, in the shop's
    time zone) to `out` as CSV; returns how many rows were written."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    documents = list(
        Document.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .order_by("seller", "sequence")
        .only(
            "number",
            "kind",
            "issued_at",
            "vat_country",
            "currency",
            "net_total",
            "vat_total",
            "gross_total",
            "vat_breakdown",
            "invoice__number",
        )
        .select_related("invoice")
    )
    rates = sorted({rate["rate_bp"] for d in documents for rate in d.vat_breakdown}, reverse=True)
    writer = csv.writer(out)
    header = ["number", "type", "date", "credits_invoice", "country", "currency", "net"]
    for rate in rates:
        header += [f"vat_basis_{_rate_name(rate)}", f"vat_{_rate_name(rate)}"]
    writer.writerow([*header, "vat_total", "gross"])
    for document in documents:
        sign = -1 if document.kind == DocumentKind.CREDIT_NOTE else 1
        by_rate = {rate["rate_bp"]: rate for rate in document.vat_breakdown}
        row = [
            document.number,
            document.kind,
            timezone.localdate(document.issued_at).isoformat(),
            document.invoice.number if document.invoice_id else "",
            document.vat_country,
            document.currency,
            _amount(document.net_total, sign),
        ]
        for rate in rates:
            found = by_rate.get(rate, {"basis": 0, "vat": 0})
            row += [_amount(found["basis"], sign), _amount(found["vat"], sign)]
        writer.writerow(
            [*row, _amount(document.vat_total, sign), _amount(document.gross_total, sign)]
        )
    return len(documents)
