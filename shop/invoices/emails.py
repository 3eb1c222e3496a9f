"""Invoices and credit notes sent to the customer, with the PDF attached (the queued
e-mail names the document; the PDF is read when the e-mail is written)."""

from privacy.consent.purposes import uses_personal_data
from privacy.emails import email_send
from shop.models import Document


@uses_personal_data("orders", categories=["contact"])
def document_email_send(*, document: Document) -> bool:
    """Queue the document's e-mail to its customer; False when there is no one to
    write to (the account was closed)."""
    user = document.order.user
    if user is None:
        return False
    email_send(
        to=user.email,
        template="shop/emails/document",
        context={"document": document},
        language=document.language,
        user=user,
        purpose="orders",
        attachments=[document],
    )
    return True
