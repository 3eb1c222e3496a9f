"""Invoices and credit notes on the customer's order page, and their download (the
order's owner only: anyone else gets 404)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from shop.invoices.selectors import documents_for
from shop.models import DocumentFile
from shop.orders.views import order_page_part


@order_page_part
def order_documents(*, order, user, **_ignored) -> dict:
    documents = documents_for(user=user, order_number=order.number).filter(file__isnull=False)
    return {"documents": list(documents)}


@login_required
def document_download(request, number: str, document: str):
    found = documents_for(user=request.user, order_number=number).filter(number=document).first()
    rendered = DocumentFile.objects.filter(document=found).first() if found else None
    if rendered is None:
        raise Http404
    response = HttpResponse(bytes(rendered.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{found.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
