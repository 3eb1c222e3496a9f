"""Issuing, rendering and reading back an invoice with the root logger at DEBUG writes
none of the buyer's details to the logs. The Factur-X library logs the XML it reads at
DEBUG (and pypdf objects whose reprs carry memory addresses, which can look like card
numbers); the project's LOGGING keeps that logger at INFO whatever LOG_LEVEL says."""

import logging

import pytest

from privacy.tests.factories import UserFactory
from shop.models import Document, DocumentFile
from shop.tests.factories import ModuleFactory
from shop.tests.invoice_steps import ADDRESSES, embedded_xml, order_pay, order_placed

pytestmark = pytest.mark.django_db


def test_an_invoice_leaves_no_buyer_detail_in_the_logs(caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    user = UserFactory(email="sophie.germain@example.org")
    module = ModuleFactory(stock=5)
    caplog.clear()  # the factories' own debug lines name the test's user
    order = order_placed(user=user, modules=[(module, 1)], country="FR")
    with django_capture_on_commit_callbacks(execute=True):
        order_pay(order)
    document = Document.objects.get(order=order)
    xml = embedded_xml(bytes(DocumentFile.objects.get(document=document).pdf))
    assert ADDRESSES["FR"].name.encode() in xml  # the invoice does name the buyer
    address = ADDRESSES["FR"]
    details = [address.name, address.line1, address.line2, user.email]
    logged = caplog.text + "".join(repr(record.args) for record in caplog.records)
    assert [detail for detail in details if detail in logged] == []
