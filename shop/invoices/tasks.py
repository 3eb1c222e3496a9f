"""Background work on documents: issue after the payment or refund is committed, then
render the PDF and e-mail it. Each task carries ids only, and is safe to run twice."""

from django.db import IntegrityError, transaction
from django.tasks import task

from shop.invoices.services import credit_note_issue, invoice_issue
from shop.models import Document, DocumentFile, Order, Refund


@task
def invoice_issue_task(*, order_id: int) -> None:
    document = invoice_issue(order=Order.objects.get(pk=order_id))  # committed here
    document_render_task.enqueue(document_id=document.pk)


@task
def credit_note_issue_task(*, refund_id: int) -> None:
    document = credit_note_issue(refund=Refund.objects.get(pk=refund_id))  # committed here
    for rendered in (document.invoice_id, document.pk):  # the invoice, if issued just now
        document_render_task.enqueue(document_id=rendered)


@task
def document_render_task(*, document_id: int) -> None:
    """Render the document's PDF once, then e-mail it to the customer."""
    from shop.invoices.emails import document_email_send
    from shop.invoices.render import document_pdf

    document = Document.objects.select_related("order", "invoice").get(pk=document_id)
    if DocumentFile.objects.filter(document=document).exists():
        return  # rendered (and sent) already
    pdf = document_pdf(document)
    try:
        with transaction.atomic():
            DocumentFile.objects.create(document=document, pdf=pdf)
    except IntegrityError:
        return  # a concurrent run rendered it first
    document_email_send(document=document)


def invoice_issue_after_commit(*, order: Order) -> None:
    """The order was just paid: issue its invoice once the payment is committed."""
    transaction.on_commit(lambda: invoice_issue_task.enqueue(order_id=order.pk))


def credit_note_after_commit(*, refund: Refund) -> None:
    """A refund was recorded: once committed, a succeeded refund that counts towards
    its order gets its credit note."""
    if refund.status == "succeeded" and refund.counts_towards_order:
        transaction.on_commit(lambda: credit_note_issue_task.enqueue(refund_id=refund.pk))
