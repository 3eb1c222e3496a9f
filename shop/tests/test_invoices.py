"""Invoices and credit notes: issued when a payment succeeds or a refund is recorded,
Factur-X PDFs whose EN 16931 XML validates and adds up to what was paid, never changed
after issue, downloadable by the order's owner only, e-mailed with the PDF."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.checkout.services import CheckoutError
from shop.invoices import vat
from shop.invoices.services import credit_note_issue, invoice_issue
from shop.models import (
    Document,
    DocumentFile,
    DocumentKind,
    ImmutableDocument,
    OrderLine,
)
from shop.tests.factories import ModuleFactory
from shop.tests.invoice_steps import (
    embedded_xml,
    order_pay,
    order_placed,
    order_refund,
    rate_changed,
    xml_amounts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what is queued after each commit (issue, render, e-mail) at once."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def paid_order(run_tasks, *, user=None, country="GB", prices=(4999, 1333), delivery="express"):
    user = user or UserFactory()
    modules = [
        (ModuleFactory(price_pence=price, price_eur_cents=price, stock=50), 1 + i)
        for i, price in enumerate(prices)
    ]
    order = order_placed(user=user, modules=modules, country=country, delivery=delivery)
    with run_tasks():
        payment = order_pay(order)
    return order, payment


def pdf_of(document) -> bytes:
    return bytes(DocumentFile.objects.get(document=document).pdf)


def test_a_paid_order_gets_one_invoice_whose_factur_x_validates_and_adds_up(run_tasks, mailoutbox):
    order, _payment = paid_order(run_tasks)
    invoice = Document.objects.get(order=order)
    assert invoice.kind == DocumentKind.INVOICE and invoice.number.startswith("OT-")
    amounts = xml_amounts(embedded_xml(pdf_of(invoice)))
    assert amounts["GrandTotalAmount"] == order.total_pence == invoice.gross_total
    assert amounts["line_nets"] == amounts["LineTotalAmount"] == amounts["basis_by_rate"]
    assert amounts["TaxTotalAmount"] == amounts["vat_by_rate"] == invoice.vat_total
    assert amounts["DuePayableAmount"] == 0
    # Two module lines and the delivery, each frozen on the order at 20 %.
    assert invoice.lines.count() == 3
    assert {line.rate_bp for line in invoice.lines.all()} == {2000}
    sent = [m for m in mailoutbox if invoice.number in m.subject]
    assert len(sent) == 1
    assert sent[0].attachments[0][0] == f"{invoice.number}.pdf"
    assert sent[0].attachments[0][1] == pdf_of(invoice)
    # Issued once: asking again gives the same document.
    assert invoice_issue(order=order) == invoice
    assert Document.objects.filter(order=order).count() == 1


def test_an_unpaid_order_gets_no_invoice(run_tasks):
    order = order_placed(user=UserFactory(), modules=[(ModuleFactory(stock=5), 1)])
    with pytest.raises(Exception, match="not paid"):
        invoice_issue(order=order)
    assert not Document.objects.exists()


def test_order_lines_and_delivery_are_frozen_with_net_rate_vat_and_gross(run_tasks):
    order, _payment = paid_order(run_tasks, prices=(4999, 1333))
    order.refresh_from_db()
    lines = list(order.lines.all())
    assert [line.vat_rate_bp for line in lines] == [2000, 2000]
    assert all(line.net_minor + line.vat_minor == line.total_pence for line in lines)
    assert order.delivery_net_minor + order.delivery_vat_minor == order.delivery_pence
    nets = sum(line.net_minor for line in lines) + order.delivery_net_minor
    assert nets == round(order.total_pence / 1.2)


def test_a_future_rate_change_never_touches_an_order_placed_before(run_tasks, monkeypatch):
    with time_machine.travel(datetime.datetime(2027, 3, 30, 12, tzinfo=datetime.UTC)):
        before, _payment = paid_order(run_tasks, prices=(12000,), delivery="express")
    monkeypatch.setattr(vat, "VAT_RATES", rate_changed("GB", 2500, datetime.date(2027, 4, 1)))
    with time_machine.travel(datetime.datetime(2027, 4, 2, 12, tzinfo=datetime.UTC)):
        after, _payment = paid_order(run_tasks, prices=(12000,), delivery="express")
    frozen = OrderLine.objects.get(order=before)
    assert (frozen.vat_rate_bp, frozen.net_minor, frozen.vat_minor) == (2000, 10000, 2000)
    assert OrderLine.objects.get(order=after).vat_rate_bp == 2500
    assert Document.objects.get(order=before).vat_breakdown[0]["rate_bp"] == 2000
    assert Document.objects.get(order=after).vat_breakdown[0]["rate_bp"] == 2500


def test_no_rate_for_the_day_refuses_the_order_and_writes_nothing(monkeypatch):
    monkeypatch.setattr(vat, "VAT_RATES", [p for p in vat.VAT_RATES if p.country != "FR"])
    module = ModuleFactory(stock=5)
    with pytest.raises(CheckoutError):
        order_placed(user=UserFactory(), modules=[(module, 1)], country="FR")
    module.refresh_from_db()
    assert module.stock == 5
    assert not OrderLine.objects.exists()


def test_partial_refunds_issue_credit_notes_that_reference_the_invoice(run_tasks, mailoutbox):
    order, payment = paid_order(run_tasks)
    invoice = Document.objects.get(order=order)
    with run_tasks():
        order_refund(payment, 1001)
    with run_tasks():
        order_refund(payment, order.total_pence - 1001)
    notes = list(Document.objects.filter(kind=DocumentKind.CREDIT_NOTE).order_by("sequence"))
    assert [note.gross_total for note in notes] == [1001, order.total_pence - 1001]
    assert [note.sequence for note in notes] == [invoice.sequence + 1, invoice.sequence + 2]
    for note in notes:
        assert note.invoice == invoice
        xml = embedded_xml(pdf_of(note))
        assert b"<ram:TypeCode>381</ram:TypeCode>" in xml
        assert invoice.number.encode() in xml  # InvoiceReferencedDocument
        amounts = xml_amounts(xml)
        assert amounts["GrandTotalAmount"] == note.gross_total
        assert amounts["line_nets"] == amounts["TaxBasisTotalAmount"]
    assert sum(note.gross_total for note in notes) == invoice.gross_total
    assert sum(1 for m in mailoutbox if "credit note" in m.subject) == 2


def test_a_full_refund_credits_the_invoices_own_lines(run_tasks):
    order, payment = paid_order(run_tasks)
    invoice = Document.objects.get(order=order)
    with run_tasks():
        order_refund(payment, order.total_pence)
    note = Document.objects.get(kind=DocumentKind.CREDIT_NOTE)
    columns = ["description", "quantity", "net", "vat", "gross", "rate_bp"]
    assert list(note.lines.values_list(*columns)) == list(invoice.lines.values_list(*columns))
    assert credit_note_issue(refund=note.refund) == note  # once per refund


def test_an_issued_document_cannot_be_changed_or_deleted(run_tasks):
    order, _payment = paid_order(run_tasks)
    invoice = Document.objects.get(order=order)
    invoice.gross_total += 1
    with pytest.raises(ImmutableDocument):
        invoice.save()
    with pytest.raises(ImmutableDocument):
        Document.objects.filter(pk=invoice.pk).update(gross_total=1)
    with pytest.raises(ImmutableDocument):
        Document.objects.filter(pk=invoice.pk).delete()
    with pytest.raises(ImmutableDocument):
        invoice.delete()
    line = invoice.lines.first()
    line.net = 0
    with pytest.raises(ImmutableDocument):
        line.save()
    invoice.refresh_from_db()
    assert invoice.gross_total == order.total_pence


def test_a_french_customer_gets_a_french_invoice_with_the_ioss_mention(run_tasks, mailoutbox):
    customer = UserFactory(language="fr")
    order, _payment = paid_order(run_tasks, user=customer, country="FR", prices=(4999,))
    invoice = Document.objects.get(order=order)
    assert invoice.language == "fr" and invoice.vat_country == "FR"
    assert "IOSS" in invoice.vat_note and "IM0000000000" in invoice.vat_note
    assert invoice.seller_facts["vat_number"] == "GB000000000"
    xml = embedded_xml(pdf_of(invoice))
    assert b"IM0000000000" in xml
    sent = next(m for m in mailoutbox if invoice.number in m.subject)
    assert "Votre facture" in sent.subject


def test_a_credit_note_names_the_seller_as_its_invoice_did(run_tasks, settings):
    order, payment = paid_order(run_tasks, country="FR", prices=(4999,))
    invoice = Document.objects.get(order=order)
    settings.SHOP_VAT_SCHEME_FR = "eu_establishment"  # changed after the invoice
    with run_tasks():
        order_refund(payment, 999)
    note = Document.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert (note.seller_facts, note.vat_note) == (invoice.seller_facts, invoice.vat_note)
    assert "IOSS" in note.vat_note


def test_goods_over_eur_150_to_france_are_imported_by_the_seller(run_tasks, settings):
    settings.SHOP_VAT_SCHEME_FR = "ioss"
    order, _payment = paid_order(run_tasks, country="FR", prices=(20000,))
    invoice = Document.objects.get(order=order)
    assert "IOSS" not in invoice.vat_note
    assert invoice.seller_facts["vat_number"] == "FR00000000000"


def test_the_checkout_states_who_owes_the_vat(client):
    client.force_login(UserFactory())
    client.post(reverse("shop:basket-add"), {"module": ModuleFactory(stock=3).pk, "quantity": 1})
    page = client.get(reverse("shop:checkout")).content.decode()
    assert "Import One-Stop Shop" in page
    assert "more than EUR 150" in page
