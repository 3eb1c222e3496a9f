"""The shop's side of the customer's rights: orders in the export, legal hold at
closure, lifetime warranties, and export cost independent of the number of orders."""

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from privacy.models import User
from privacy.rights.erasure import account_close
from privacy.rights.export import export_build
from privacy.rights.receipts import receipt_lines
from privacy.tests.factories import PASSWORD, UserFactory
from shop.models import Address, Basket, Order, Payment
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import (
    AddressFactory,
    BasketFactory,
    BasketLineFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
)

pytestmark = pytest.mark.django_db


def _customer_with_orders(orders=1, *, lifetime=False, **kwargs):
    user = UserFactory(**kwargs)
    AddressFactory(user=user, name="Ada Home")
    BasketLineFactory(basket=BasketFactory(user=user))
    module = ModuleFactory()
    for _ in range(orders):
        order = OrderFactory(user=user, delivery_name="Ada Delivery")
        OrderLineFactory(order=order, module=module, warranty_years=None if lifetime else 3)
        PaymentFactory(order=order, card_brand="visa", card_last4="4242")
    return user


def _export_queries(user):
    with CaptureQueriesContext(connection) as queries:
        export_build(user=user)
    return len(queries)


def test_export_costs_the_same_queries_for_1000_orders_as_for_10():
    assert _export_queries(_customer_with_orders(10)) == _export_queries(
        _customer_with_orders(1000)
    )


def test_export_holds_orders_and_payments_without_card_numbers_and_none_of_another_customer():
    alice = _customer_with_orders(2, email="alice@example.com")
    bob = _customer_with_orders(1, email="bob@example.com")
    document = export_build(user=alice)
    sections = {section["key"]: section["rows"] for section in document["sections"]}
    assert len(sections["shop.order"]) == 2
    assert len(sections["shop.payment"]) == 2
    assert sections["shop.address"][0]["name"] == "Ada Home"
    assert len(sections["shop.basket"][0]["lines"]) == 1
    text = json.dumps(document)
    # Everything stored about the payment is exported (issue 14), the last four digits
    # included; no full card number is ever stored.
    assert {row["card_last4"] for row in sections["shop.payment"]} == {"4242"}
    assert "4242424242424242" not in text
    for number in Order.objects.filter(user=bob).values_list("number", flat=True):
        assert number not in text


@time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_closure_keeps_tax_records_detached_until_seven_years_and_deletes_the_rest():
    user = _customer_with_orders(2)
    numbers = list(Order.objects.filter(user=user).values_list("number", flat=True))
    Order.objects.filter(number=numbers[0]).first().save()  # another history row
    result = account_close(user=user)
    orders = Order.objects.filter(number__in=numbers)
    assert orders.count() == 2
    assert set(orders.values_list("user", flat=True)) == {None}
    assert set(orders.values_list("legal_hold_until", flat=True)) == {datetime.date(2033, 3, 10)}
    assert not Order.history.filter(user_id=user.pk).exists()
    assert Order.history.filter(number__in=numbers).exists()
    assert Payment.objects.filter(order__number__in=numbers).count() == 2
    assert not Address.objects.filter(user_id=user.pk).exists()
    assert not Basket.objects.filter(user_id=user.pk).exists()
    outcome = {item["key"]: item for item in result.receipt.outcomes}
    assert outcome["shop.order"]["outcome"] == "keep"
    assert outcome["shop.order"]["until"] == "2033-03-10"
    assert outcome["shop.payment"]["until"] == "2033-03-10"  # they follow their order
    assert outcome["privacy.privacyrequest"]["until"] is None  # from the request's closure
    assert outcome["shop.address"]["outcome"] == "delete"


def test_a_lifetime_warranty_is_kept_only_if_the_customer_chooses():
    keeper = _customer_with_orders(1, lifetime=True)
    leaver = _customer_with_orders(1, lifetime=True)
    kept = Order.objects.get(user=keeper)
    ended = Order.objects.get(user=leaver)
    result = account_close(user=keeper, keep=frozenset({"lifetime-warranty"}))
    account_close(user=leaver)
    kept.refresh_from_db()
    ended.refresh_from_db()
    assert (kept.warranty_kept, ended.warranty_kept) == (True, False)
    outcome = {item["key"]: item for item in result.receipt.outcomes}
    assert outcome["option:lifetime-warranty"]["outcome"] == "keep"


def test_the_close_page_warns_about_the_lifetime_warranty(client):
    user = _customer_with_orders(1, lifetime=True)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    html = client.get(reverse("privacy:account-close")).content.decode()
    assert "Keep my lifetime warranties" in html
    assert "can no longer handle a warranty claim" in html
    response = client.post(
        reverse("privacy:account-close"), {"confirm": "on", "keep_lifetime-warranty": "on"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert Order.objects.get(user=None).warranty_kept


def test_the_order_list_shows_nothing_after_closure_to_a_new_account(client):
    user = _customer_with_orders(1, email="reuse@example.com")
    account_close(user=user)
    newcomer = UserFactory(email="reuse@example.com")
    client.force_login(newcomer)
    response = client.get(reverse("shop:order-list"))
    assert Order.objects.count() == 1
    assert Order.objects.get().number not in response.content.decode()


def test_the_readable_export_shows_order_lines_as_lists_not_code(client):
    user = _customer_with_orders(1)
    client.force_login(user)
    html = client.get(reverse("privacy:export")).content.decode()
    line = Order.objects.get(user=user).lines.get()
    assert f"<dd>{line.part_number}</dd>" in html
    assert "{&#x27;" not in html and "[{" not in html


def test_release_legal_holds_is_an_alias_of_the_tax_records_rule():
    from io import StringIO

    from django.core.management import call_command

    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)):
        plain = _customer_with_orders(1)
        keeper = _customer_with_orders(1, lifetime=True)
        plain_order, kept_order = Order.objects.get(user=plain), Order.objects.get(user=keeper)
        account_close(user=plain)
        account_close(user=keeper, keep=frozenset({"lifetime-warranty"}))
    with time_machine.travel(datetime.datetime(2033, 3, 11, 12, tzinfo=datetime.UTC)):
        dry = StringIO()
        call_command("release_legal_holds", stdout=dry)
        assert "1 would be anonymised" in dry.getvalue()
        plain_order.refresh_from_db()
        assert plain_order.delivery_name == "Ada Delivery"
        call_command("release_legal_holds", "--apply", stdout=StringIO())
    plain_order.refresh_from_db()
    kept_order.refresh_from_db()
    assert (plain_order.delivery_name, plain_order.legal_hold_until) == ("", None)
    assert kept_order.delivery_name == "Ada Delivery"


def test_the_receipt_counts_the_history_rows_kept_under_each_hold_and_those_erased():
    user = _customer_with_orders(2)
    numbers = list(Order.objects.filter(user=user).values_list("number", flat=True))
    Order.objects.filter(number=numbers[0]).first().save()  # another history row
    result = account_close(user=user)
    outcome = {item["key"]: item for item in result.receipt.outcomes}
    kept = Order.history.filter(number__in=numbers).count()
    assert kept == 3
    assert outcome["history:shop.order"] == {
        "key": "history:shop.order",
        "outcome": "keep",
        "until": outcome["shop.order"]["until"],
        "retention": "tax-records",
        "rows": kept,
        "remaining": kept,
    }
    assert outcome["history"]["outcome"] == "delete"
    assert outcome["history"]["remaining"] == 0
    lines = [str(line.title) for line in receipt_lines(receipt=result.receipt)]
    assert "Earlier versions of: Your orders" in lines
