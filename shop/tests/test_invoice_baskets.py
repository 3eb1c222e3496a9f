"""200 random baskets (seeded): odd prices, several lines, delivery to the UK or France,
partial refunds. Every invoice and credit note validates against the EN 16931 XSD and
adds up: line nets to the total net, VAT per rate to the total VAT, the invoice to what
was paid and the credit notes to what was refunded."""

import random

import facturx
import pytest

from privacy.tests.factories import UserFactory
from shop.invoices.cii import cii_xml
from shop.invoices.render import document_pdf
from shop.invoices.services import credit_note_issue, invoice_issue
from shop.tests.factories import ModuleFactory
from shop.tests.invoice_steps import (
    embedded_xml,
    order_pay,
    order_placed,
    order_refund,
    xml_amounts,
)

pytestmark = pytest.mark.django_db

BASKETS = 200
PDF_EVERY = 25  # the XML of every document is checked; the PDF of every 25th basket too
ODD_PRICES = [1, 3, 7, 9, 11, 99, 101, 1333, 4999, 9999, 12345, 33333, 99999]


def basket_random(rng: random.Random) -> list[tuple[int, int]]:
    return [
        (
            rng.choice(ODD_PRICES) if rng.random() < 0.5 else rng.randint(1, 60_000),
            rng.randint(1, 4),
        )
        for _ in range(rng.randint(1, 4))
    ]


def refunds_random(rng: random.Random, total: int) -> list[int]:
    refunds, left = [], total
    for _ in range(rng.randint(0, 3)):
        if left == 0:
            break
        amount = left if rng.random() < 0.25 else rng.randint(1, left)
        refunds.append(amount)
        left -= amount
    return refunds


def document_checked(document, paid: int) -> dict:
    xml = cii_xml(document)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    amounts = xml_amounts(xml)
    assert amounts["GrandTotalAmount"] == paid == document.gross_total
    assert amounts["line_nets"] == amounts["LineTotalAmount"] == amounts["TaxBasisTotalAmount"]
    assert amounts["line_nets"] == amounts["basis_by_rate"] == document.net_total
    assert amounts["vat_by_rate"] == amounts["TaxTotalAmount"] == document.vat_total
    assert amounts["TaxBasisTotalAmount"] + amounts["TaxTotalAmount"] == paid
    for rate in document.vat_breakdown:  # VAT is the basis times the rate, within a cent
        assert abs(rate["vat"] * 10_000 - rate["basis"] * rate["rate_bp"]) < 10_000
    return amounts


def test_two_hundred_random_baskets_give_documents_that_validate_and_add_up():
    rng = random.Random(22)
    customer = UserFactory()
    documents = 0
    for index in range(BASKETS):
        lines = [
            (ModuleFactory(price_pence=price, price_eur_cents=price, stock=100), quantity)
            for price, quantity in basket_random(rng)
        ]
        order = order_placed(
            user=customer,
            modules=lines,
            country=rng.choice(["GB", "FR"]),
            delivery=rng.choice(["standard", "express"]),
        )
        payment = order_pay(order)
        invoice = invoice_issue(order=order)
        document_checked(invoice, order.total_pence)
        credited = 0
        for amount in refunds_random(rng, order.total_pence):
            note = credit_note_issue(refund=order_refund(payment, amount))
            assert note.invoice == invoice
            document_checked(note, amount)
            credited += note.gross_total
            documents += 1
        order.refresh_from_db()
        assert credited == order.refunded_pence
        if index % PDF_EVERY == 0:
            for document in [invoice, *invoice.credit_notes.all()]:
                xml_amounts(embedded_xml(document_pdf(document)))
        documents += 1
    assert documents >= BASKETS
