"""Invoices and credit notes as tax records: in the customer's export, kept under the
legal hold when the account is closed, and anonymised (buyer cleared, PDF deleted) the
day after the hold ends, numbers and amounts kept."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command

from privacy.rights.erasure import account_close
from privacy.rights.export import export_build, export_json
from privacy.tests.factories import UserFactory
from shop.models import Document, DocumentFile
from shop.tests.factories import ModuleFactory
from shop.tests.invoice_steps import order_pay, order_placed, order_refund

pytestmark = pytest.mark.django_db

PAID = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)
CLOSED = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
HOLD_ENDS = datetime.datetime(2033, 3, 10, 12, tzinfo=datetime.UTC)
JOB = "tax-records: invoices and credit notes past their legal hold (buyer and PDF)"


def retention(*args):
    out = io.StringIO()
    call_command("retention", "--json", *args, stdout=out, stderr=io.StringIO())
    return {row["job"]: row for row in json.loads(out.getvalue())["rules"]}


@pytest.fixture
def customer_invoiced(django_capture_on_commit_callbacks):
    with time_machine.travel(PAID, tick=False):
        customer = UserFactory()
        order = order_placed(user=customer, modules=[(ModuleFactory(stock=4), 2)])
        with django_capture_on_commit_callbacks(execute=True):
            payment = order_pay(order)
        with django_capture_on_commit_callbacks(execute=True):
            order_refund(payment, 100)
    return customer


def test_the_customers_export_holds_their_invoices_and_credit_notes(customer_invoiced):
    exported = export_json(export_build(user=customer_invoiced))
    for document in Document.objects.all():
        assert document.number in exported
    assert "Ada Lovelace" in exported  # the buyer as issued


@pytest.mark.parametrize(("day_after", "anonymised"), [(False, False), (True, True)])
def test_documents_are_kept_for_the_hold_then_lose_their_buyer_and_pdf(
    customer_invoiced, day_after, anonymised
):
    with time_machine.travel(CLOSED, tick=False):
        account_close(user=customer_invoiced)
    assert Document.objects.count() == 2
    assert DocumentFile.objects.count() == 2
    moment = HOLD_ENDS + datetime.timedelta(days=1 if day_after else 0)
    with time_machine.travel(moment, tick=False):
        report = retention("--apply")
    assert report[JOB]["done"] == (2 if anonymised else 0)
    assert DocumentFile.objects.exists() is not anonymised
    for document in Document.objects.all():
        assert (document.buyer_name == "" and document.buyer_address == "") is anonymised
        assert document.number.startswith("OT-") and document.gross_total > 0
    with time_machine.travel(moment, tick=False):
        assert retention("--apply")[JOB]["due"] == 0  # done once
