"""Steps shared by the invoice tests: orders placed through checkout's service, paid and
refunded through the payment services (the simulator gateway), and what a Factur-X
PDF holds."""

import datetime

import facturx
from lxml import etree

from shop.checkout.services import DeliveryAddress, order_place
from shop.invoices import vat
from shop.invoices.vat import VatPeriod
from shop.models import Basket, Order, Payment
from shop.payments.base import GatewayResult, Happened
from shop.payments.refunds import payment_refund
from shop.payments.services import payment_apply, payment_create
from shop.tests.factories_orders import BasketFactory, BasketLineFactory

ADDRESSES = {
    "GB": DeliveryAddress(
        name="Ada Lovelace",
        line1="12 Square",
        line2="",
        city="London",
        postcode="N1 1AA",
        country="GB",
    ),
    "FR": DeliveryAddress(
        name="Sophie Germain",
        line1="3 rue Vide",
        line2="Bât. B",
        city="Paris",
        postcode="75005",
        country="FR",
    ),
}
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


def order_placed(*, user, modules, country="GB", delivery="standard") -> Order:
    """`modules`: [(module, quantity)], placed as `user` would at checkout."""
    basket = Basket.objects.filter(user=user).first() or BasketFactory(user=user)
    for module, quantity in modules:
        BasketLineFactory(basket=basket, module=module, quantity=quantity)
    return order_place(user=user, basket=basket, address=ADDRESSES[country], delivery_code=delivery)


def order_pay(order: Order) -> Payment:
    payment = payment_create(order=order, gateway="simulator", reference=f"sim_{order.number}")
    result = GatewayResult(
        happened=Happened.SUCCEEDED,
        reference=payment.reference,
        amount_pence=order.total_pence,
        currency=order.currency,
    )
    assert payment_apply(payment=payment, result=result) == "paid"
    return payment


def order_refund(payment: Payment, amount: int):
    return payment_refund(payment=payment, amount_pence=amount, reason="test")


def embedded_xml(pdf: bytes) -> bytes:
    """The CII XML a Factur-X PDF carries, checked against the EN 16931 XSD."""
    _name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    assert xml, "no Factur-X XML in the PDF"
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    return xml


def xml_amounts(xml: bytes) -> dict:
    """The totals and the sum of the line nets of a CII XML."""
    root = etree.fromstring(xml)

    def cents(path):
        return [round(float(node.text) * 100) for node in root.iter(f"{RAM}{path}")]

    summation = root.find(f".//{RAM}SpecifiedTradeSettlementHeaderMonetarySummation")
    line_nets = [
        round(float(item.find(f".//{RAM}LineTotalAmount").text) * 100)
        for item in root.iter(f"{RAM}IncludedSupplyChainTradeLineItem")
    ]
    total = {child.tag.removeprefix(RAM): round(float(child.text) * 100) for child in summation}
    return {
        **total,
        "line_nets": sum(line_nets),
        "vat_by_rate": sum(cents("CalculatedAmount")),
        "basis_by_rate": sum(cents("BasisAmount")),
    }


def rate_changed(country: str, rate_bp: int, first_day: datetime.date) -> list[VatPeriod]:
    """The rate table with `country`'s rate changed from `first_day`."""
    changed = []
    for period in vat.VAT_RATES:
        if period.country == country and period.valid_to is None:
            period = VatPeriod(
                country, period.rate_bp, period.valid_from, first_day - datetime.timedelta(days=1)
            )
        changed.append(period)
    return [*changed, VatPeriod(country, rate_bp, first_day)]
