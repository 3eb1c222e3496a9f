"""The card fields are one list (shop.models.payments.CARD_FIELDS): what a gateway
reports under those names is stored, cut to its column, and nothing else is."""

import pytest

from shop.models import Payment, PaymentStatus
from shop.models.payments import CARD_FIELDS
from shop.payments.base import GatewayResult, Happened
from shop.payments.services import payment_apply
from shop.tests.factories_orders import OrderLineFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def test_each_card_field_reported_is_stored_cut_to_its_column():
    payment = PaymentFactory()
    OrderLineFactory(order=payment.order)
    reported = {name: "Q" * 40 for name in CARD_FIELDS}
    reported["card_last4"] = "4000000000001234"
    reported["card_number"] = "4242424242424242"  # not a card field: left out, no error
    result = GatewayResult(
        happened=Happened.REQUIRES_ACTION,
        reference=payment.reference,
        amount_pence=payment.amount_pence,
        currency=payment.currency,
        card=reported,
    )
    payment_apply(payment=payment, result=result)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUIRES_ACTION
    assert payment.card_last4 == "1234"
    for name in set(CARD_FIELDS) - {"card_last4"}:
        column = Payment._meta.get_field(name).max_length
        assert getattr(payment, name) == "Q" * column, name
