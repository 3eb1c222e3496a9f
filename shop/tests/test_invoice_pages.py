"""Invoices and credit notes seen by people: the customer's order page and download
(owner only), the staff admin (read-only, the PDF, sending again), and the
accountant's CSV."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from privacy.models import SecurityEvent
from privacy.tests.factories import UserFactory
from shop.models import Document, DocumentKind
from shop.tests.factories import ModuleFactory
from shop.tests.invoice_steps import order_pay, order_placed, order_refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoiced(django_capture_on_commit_callbacks):
    """A paid order (two lines, express delivery) partly refunded: an invoice and a
    credit note, both rendered."""
    customer = UserFactory()
    modules = [
        (ModuleFactory(price_pence=4999, stock=40), 1),
        (ModuleFactory(price_pence=1333, stock=40), 3),
    ]
    order = order_placed(user=customer, modules=modules, delivery="express")
    with django_capture_on_commit_callbacks(execute=True):
        payment = order_pay(order)
    with django_capture_on_commit_callbacks(execute=True):
        order_refund(payment, 500)
    return order


def download_url(document):
    return reverse(
        "shop:document-download",
        kwargs={"number": document.order.number, "document": document.number},
    )


def test_the_owner_sees_and_downloads_their_documents(client, invoiced):
    client.force_login(invoiced.user)
    page = client.get(reverse("shop:order-detail", kwargs={"number": invoiced.number}))
    for document in Document.objects.filter(order=invoiced):
        assert document.number in page.content.decode()
        response = client.get(download_url(document))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response["Cache-Control"] == "private, no-store"


def test_anyone_else_gets_404_and_a_visitor_is_sent_to_sign_in(client, invoiced):
    invoice = Document.objects.get(order=invoiced, kind=DocumentKind.INVOICE)
    client.force_login(UserFactory())
    assert client.get(download_url(invoice)).status_code == 404
    client.logout()
    response = client.get(download_url(invoice))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_document_of_another_order_or_unknown_is_404(
    client, invoiced, django_capture_on_commit_callbacks
):
    client.force_login(invoiced.user)
    other = order_placed(user=invoiced.user, modules=[(ModuleFactory(stock=3), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        order_pay(other)
    invoice = Document.objects.get(order=invoiced, kind=DocumentKind.INVOICE)
    wrong_order = reverse(
        "shop:document-download", kwargs={"number": other.number, "document": invoice.number}
    )
    assert client.get(wrong_order).status_code == 404
    unknown = reverse(
        "shop:document-download", kwargs={"number": invoiced.number, "document": "OT-9999999"}
    )
    assert client.get(unknown).status_code == 404


def test_staff_see_documents_read_only_open_the_pdf_and_send_again(
    staff_client, invoiced, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = Document.objects.get(order=invoiced, kind=DocumentKind.INVOICE)
    assert staff_client.get(reverse("admin:shop_document_changelist")).status_code == 200
    change = reverse("admin:shop_document_change", args=[invoice.pk])
    page = staff_client.get(change)
    assert page.status_code == 200 and invoice.number in page.content.decode()
    assert staff_client.post(change, {"gross_total": 1}).status_code == 403
    assert (
        staff_client.get(reverse("admin:shop_document_delete", args=[invoice.pk])).status_code
        == 403
    )
    pdf = staff_client.get(reverse("admin:shop_document_pdf", args=[invoice.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert SecurityEvent.objects.filter(user=invoiced.user, kind="staff-view").exists()
    resend = reverse("admin:shop_document_resend", args=[invoice.pk])
    assert staff_client.get(resend).status_code == 200
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes once it commits
        assert staff_client.post(resend).status_code == 302
    assert [m.attachments[0][0] for m in mailoutbox] == [f"{invoice.number}.pdf"]
    invoice.refresh_from_db()
    assert invoice.gross_total == invoiced.total_pence


def test_the_accountants_csv_lists_documents_with_vat_per_rate(invoiced, tmp_path):
    target = tmp_path / "export.csv"
    call_command(
        "invoices_export", "--from", "2000-01-01", "--to", "2100-12-31", "--output", str(target)
    )
    with target.open(encoding="utf-8") as written:
        rows = list(csv.DictReader(written))
    invoice, note = rows
    assert invoice["type"] == "invoice" and note["type"] == "credit_note"
    assert note["credits_invoice"] == invoice["number"]
    assert invoice["country"] == "GB" and invoice["currency"] == "GBP"
    assert invoice["gross"] == f"{invoiced.total_pence / 100:.2f}"
    assert note["gross"] == "-5.00"
    for row in rows:
        assert float(row["net"]) + float(row["vat_20"]) == pytest.approx(float(row["gross"]))
        assert row["vat_basis_20"] == row["net"]


def test_the_export_to_standard_output_holds_only_the_period(invoiced):
    out = io.StringIO()
    call_command("invoices_export", "--from", "2001-01-01", "--to", "2001-12-31", stdout=out)
    assert out.getvalue().splitlines() == [
        "number,type,date,credits_invoice,country,currency,net,vat_total,gross"
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2026-13-01", "--to", "2026-12-31"], "--from must be a date"),
        (["--from", "2026-01-01", "--to", "yesterday"], "--to must be a date"),
        (["--from", "2026-02-01", "--to", "2026-01-01"], "--to is before --from"),
    ],
)
def test_bad_export_input_is_a_clear_error_and_writes_nothing(arguments, message, tmp_path):
    target = tmp_path / "export.csv"
    with pytest.raises(CommandError, match=message):
        call_command("invoices_export", *arguments, "--output", str(target))
    assert not target.exists()


def test_an_unwritable_output_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command(
            "invoices_export",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-02",
            "--output",
            str(tmp_path / "missing" / "x.csv"),
        )
