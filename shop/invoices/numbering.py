"""Document numbers: one unbroken series per seller. The series row is locked for the
rest of the issuing transaction, so two documents issued at once are numbered one
after the other, and a rolled-back issue gives its number back."""

from django.conf import settings

from shop.models import DocumentSeries

# Only the control of the concurrency test turns this off, to show the duplicate
# numbers the lock prevents.
LOCK_SERIES = True


def number_take(*, seller: str) -> tuple[int, str]:
    """The next (sequence, number) of `seller`'s series; call inside the transaction
    that creates the document."""
    DocumentSeries.objects.get_or_create(seller=seller)
    series = DocumentSeries.objects.filter(seller=seller)
    if LOCK_SERIES:
        series = series.select_for_update()
    row = series.get()
    row.last_number += 1
    row.save(update_fields=["last_number"])
    prefix = settings.SHOP_INVOICE_PREFIX
    return row.last_number, f"{prefix}-{row.last_number:07d}"
