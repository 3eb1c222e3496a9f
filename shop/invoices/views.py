"""Invoices and credit notes on the customer's order page, and their download (the
order's owner only: anyone else gets 404)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from privacy.consent.purposes import uses_personal_data
from shop.invoices.selectors import documents_for
from shop.models import DocumentFile
from shop.orders.views import order_page_part


@order_page_part
def order_documents(*, order, user, **_ignored) -> dict:
    documents = documents_for(user=user, order_number=order.number).filter(file__isnull=False)
    return {"documents": list(documents)}


@uses_personal_data("orders", categories=["contact", "identity", "transaction"])
def document_pdf_response(document, *, disposition: str = "attachment") -> HttpResponse:
    """The document's PDF (404 while it is not rendered), never cached on the way."""
    rendered = DocumentFile.objects.filter(document=document).first() if document else None
    if rendered is None:
        raise Http404
    response = HttpResponse(bytes(rendered.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="{document.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_download(request, number: str, document: str):
    found = documents_for(user=request.user, order_number=number).filter(number=document).first()
    return document_pdf_response(found)
