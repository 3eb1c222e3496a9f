from decimal import Decimal

import pytest

from shop.catalog.services import CatalogChangeRefused, modules_reprice, modules_stock_set
from shop.models import Module
from shop.tests.factories import ModuleFactory

pytestmark = pytest.mark.django_db


def test_reprice_changes_prices_by_a_percentage_rounded_to_the_penny():
    cheap = ModuleFactory(price_pence=1999)
    dear = ModuleFactory(price_pence=10000)
    changed = modules_reprice(modules=Module.objects.all(), percent=Decimal("10"))
    assert changed == 2
    cheap.refresh_from_db()
    dear.refresh_from_db()
    assert (cheap.price_pence, dear.price_pence) == (2199, 11000)


def test_reprice_never_goes_below_one_penny_and_is_recorded_in_history():
    module = ModuleFactory(price_pence=1)
    modules_reprice(modules=[module], percent=Decimal("-90"))
    module.refresh_from_db()
    assert module.price_pence == 1
    assert module.history.first().history_change_reason == "price -90%"


@pytest.mark.parametrize("percent", ["-91", "100.01", "-100"])
def test_reprice_refuses_percentages_out_of_range(percent):
    module = ModuleFactory(price_pence=5000)
    with pytest.raises(CatalogChangeRefused):
        modules_reprice(modules=[module], percent=Decimal(percent))
    module.refresh_from_db()
    assert module.price_pence == 5000


def test_stock_set_writes_the_count_with_history():
    module = ModuleFactory(stock=3)
    modules_stock_set(modules=[module], stock=40)
    module.refresh_from_db()
    assert module.stock == 40
    assert [row.stock for row in module.history.all()[:2]] == [40, 3]


def test_stock_set_refuses_a_negative_count():
    module = ModuleFactory(stock=3)
    with pytest.raises(CatalogChangeRefused):
        modules_stock_set(modules=[module], stock=-1)
