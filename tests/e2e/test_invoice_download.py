"""A French shopper buys, then downloads the invoice from the order page: a Factur-X PDF
whose EN 16931 XML validates and whose total is what was paid."""

import re

import pytest
from playwright.sync_api import expect

from privacy.tests.factories import UserFactory
from shop.models import Order, OrderStatus
from shop.tests.factories import ModuleFactory
from shop.tests.invoice_steps import embedded_xml, xml_amounts
from tests.e2e.test_purchase import buy_until_card_form, pay_with_card, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_french_shopper_downloads_an_invoice_that_validates(live_server, page, artifacts_dir):
    user = UserFactory(language="fr")
    module = ModuleFactory(stock=5, price_pence=4599)
    base = live_server.url
    sign_in(page, base, user, "fr")
    buy_until_card_form(page, base, "fr", module)
    pay_with_card(page, "4242 4242 4242 4242")
    expect(page.get_by_test_id("outcome")).to_have_attribute("data-status", "paid")
    order = Order.objects.get(user=user)
    assert order.status == OrderStatus.PAID

    page.goto(f"{base}/fr/orders/{order.number}/")
    documents = page.get_by_test_id("order-documents")
    expect(documents).to_contain_text("Facture")
    page.screenshot(path=artifacts_dir / "invoice-fr-order-page.png", full_page=True)
    with page.expect_download() as download:
        documents.get_by_role("link", name=re.compile("Facture")).click()
    pdf = download.value.path().read_bytes()
    amounts = xml_amounts(embedded_xml(pdf))
    assert amounts["GrandTotalAmount"] == order.total_pence
    assert amounts["line_nets"] == amounts["TaxBasisTotalAmount"]
