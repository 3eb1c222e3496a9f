"""Invoices and credit notes are tax records: declared for the privacy app like the
orders they belong to (kept under the same legal hold when the account is closed,
exported with the customer's data), and anonymised when the hold ends: the buyer's
name and address go, and the PDF that shows them is deleted; the numbers and amounts
stay for the accounts."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy import registry, retention
from shop.models import DOCUMENT_ANONYMISED, Document, DocumentFile
from shop.orders.retention import ANONYMOUS_NUMBER_PREFIX


def _document_export(document):
    return {
        "number": document.number,
        "kind": document.kind,
        "order": document.order.number,
        "issued": document.issued_at.isoformat(),
        "currency": document.currency,
        "net": document.net_total,
        "vat": document.vat_total,
        "gross": document.gross_total,
        "vat_per_rate": document.vat_breakdown,
        "buyer_name": document.buyer_name,
        "buyer_address": document.buyer_address,
        "credits_invoice": document.invoice.number if document.invoice_id else None,
    }


registry.declare(
    Document,
    title=_("Your invoices and credit notes"),
    labels={
        "order": _("order"),
        "issued": _("issued"),
        "net": _("total excluding VAT"),
        "vat": _("VAT"),
        "gross": _("total including VAT"),
        "vat_per_rate": _("VAT per rate"),
        "credits_invoice": _("invoice credited"),
    },
    categories=["contact", "identity", "transaction"],
    purpose="tax-records",
    fields=["buyer_name", "buyer_address", "number", "issued_at", "gross_total"],
    retention="tax-records",
    owner="order__user",
    export=_document_export,
    select_related=["order", "invoice"],
    closure=registry.Closure.HOLD,  # follows its order
    erase=registry.Erase.ANONYMISE,
    anonymise=DOCUMENT_ANONYMISED,
)

registry.declare(
    DocumentFile,
    title=_("The PDF of your invoices and credit notes"),
    categories=["contact", "identity", "transaction"],
    purpose="tax-records",
    fields=["pdf", "rendered_at"],
    # The e-mail that sends a document attaches its PDF when it is written.
    reads={"email-delivery": ["pdf"]},
    retention="tax-records",
    owner="document__order__user",
    export=lambda rendered: {
        "document": rendered.document.number,
        "rendered": rendered.rendered_at.isoformat(),
    },
    closure=registry.Closure.HOLD,  # follows its order
    erase=registry.Erase.DELETE,
)


def documents_past_legal_hold(now, period=None):
    """Documents not yet anonymised whose order's hold has ended, or whose order was
    anonymised already."""
    ended = Q(
        order__user=None,
        order__legal_hold_until__lt=timezone.localdate(now),
        order__warranty_kept=False,
    )
    return Document.objects.filter(
        ended | Q(order__number__startswith=ANONYMOUS_NUMBER_PREFIX), anonymised_at=None
    )


def documents_anonymise(documents) -> int:
    ids = list(documents.order_by().values_list("pk", flat=True))
    DocumentFile.objects.filter(document_id__in=ids).delete()
    return Document.objects.filter(pk__in=ids).update(
        **DOCUMENT_ANONYMISED, anonymised_at=timezone.now()
    )


retention.register(
    rule="tax-records",
    model=Document,
    due=documents_past_legal_hold,
    act=documents_anonymise,
    name="tax-records: invoices and credit notes past their legal hold (buyer and PDF)",
)
