"""The shop's retention jobs: abandoned baskets go after 30 days; lifetime-warranty
purchases are kept and counted."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command

from shop.models import Basket, BasketLine
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import BasketFactory, BasketLineFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def retention_json(*args):
    out = io.StringIO()
    call_command("retention", "--json", *args, stdout=out)
    return {row["job"]: row for row in json.loads(out.getvalue())["rules"]}


@pytest.mark.parametrize(("days_later", "kept"), [(29, True), (31, False)])
def test_abandoned_baskets_are_deleted_after_thirty_days(days_later, kept):
    with time_machine.travel(START, tick=False):
        basket = BasketFactory()
        BasketLineFactory(basket=basket)
    with time_machine.travel(START + datetime.timedelta(days=days_later), tick=False):
        fresh = BasketFactory()
        retention_json("--apply")
    assert Basket.objects.filter(pk=basket.pk).exists() is kept
    assert BasketLine.objects.filter(basket_id=basket.pk).exists() is kept
    assert Basket.objects.filter(pk=fresh.pk).exists()


def test_lifetime_warranty_purchases_are_kept_and_counted():
    lifetime = ModuleFactory(warranty_years=None)
    five_years = ModuleFactory(warranty_years=5)
    OrderLineFactory.create_batch(2, module=lifetime, warranty_years=None)
    OrderLineFactory(module=five_years, warranty_years=5)
    with time_machine.travel(START + datetime.timedelta(days=365 * 20), tick=False):
        report = retention_json("--apply")
    row = report["lifetime-warranty: purchases with a lifetime warranty"]
    assert row["action"] == "keep"
    assert row["due"] == 2
    assert "until you ask us" in row["why"]
