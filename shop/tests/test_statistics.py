"""The admin's sales statistics: staff only, charts as inline SVG, anonymised orders
still counted."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from offtek.money import Money
from privacy.rights.erasure import account_close
from privacy.tests.factories import UserFactory
from shop.models import Order
from shop.orders.statistics import sales_by_generation, sales_by_month
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

URL = "/en/admin/shop/salesstatistics/"


def _sale(*, when, generation, quantity=1, price=5000, user=None, status="paid", currency="GBP"):
    with time_machine.travel(when, tick=False):
        order = OrderFactory(status=status, currency=currency, **({"user": user} if user else {}))
        OrderLineFactory(
            order=order,
            module=ModuleFactory(generation=generation),
            quantity=quantity,
            unit_price_pence=price,
        )
    return order


def test_sales_are_counted_by_month_and_generation_including_anonymised_orders():
    customer = UserFactory()
    _sale(
        when=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        generation="DDR4",
        quantity=2,
        user=customer,
    )
    _sale(when=datetime.datetime(2026, 2, 5, tzinfo=datetime.UTC), generation="DDR5")
    _sale(
        when=datetime.datetime(2026, 2, 6, tzinfo=datetime.UTC),
        generation="DDR5",
        status="pending_payment",
    )  # never paid: not a sale
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC), tick=False):
        account_close(user=customer)
    with time_machine.travel(datetime.datetime(2033, 3, 5, tzinfo=datetime.UTC), tick=False):
        call_command("retention", "--apply", stdout=io.StringIO(), stderr=io.StringIO())
    anonymised = Order.objects.get(number__startswith="ANON-")
    assert anonymised.delivery_name == ""
    by_month = {bar.label: (bar.units, bar.revenue.minor) for bar in sales_by_month(currency="GBP")}
    assert by_month == {"2026-01": (2, 10000), "2026-02": (1, 5000)}
    by_generation = {
        bar.label: (bar.units, bar.percent) for bar in sales_by_generation(currency="GBP")
    }
    assert by_generation == {"DDR4": (2, 100.0), "DDR5": (1, 50.0)}


def test_the_statistics_page_draws_svg_charts_for_staff(staff_client):
    _sale(when=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC), generation="DDR4")
    response = staff_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') == 2 and html.count('class="bar"') == 2
    charts = html[html.index('role="img"') : html.rindex("</svg>", 0, html.index("END SVGs"))]
    assert "<script" not in charts
    assert "DDR4" in html and "2026-01" in html and "£50.00" in html


def test_pounds_and_euros_are_counted_apart_never_summed(staff_client):
    when = datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    _sale(when=when, generation="DDR4", price=5000)
    _sale(when=when, generation="DDR4", price=7000, quantity=2, currency="EUR")
    assert [(b.units, b.revenue) for b in sales_by_month(currency="GBP")] == [
        (1, Money(5000, "GBP"))
    ]
    assert [(b.units, b.revenue) for b in sales_by_month(currency="EUR")] == [
        (2, Money(14000, "EUR"))
    ]
    html = staff_client.get(URL).content.decode()
    assert "Sales by month, in GBP" in html and "Sales by month, in EUR" in html
    assert html.count('role="img"') == 4
    assert "£50.00" in html and "€140.00" in html
    assert "£190.00" not in html and "€190.00" not in html  # nothing added across currencies


def test_the_statistics_page_is_in_french_too(staff_client):
    _sale(when=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC), generation="DDR4")
    html = staff_client.get(URL.replace("/en/", "/fr/")).content.decode()
    assert "Ventes par mois" in html


def test_the_statistics_page_is_for_staff_only(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 302
