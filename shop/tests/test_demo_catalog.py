import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from shop.catalog.demo.real_modules import real_module_rows
from shop.catalog.selectors import modules_compatible_with, upgrade_advice_for
from shop.models import Module, System
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import OrderLineFactory

pytestmark = pytest.mark.django_db


def load(*args):
    call_command("load_demo_catalog", *args)


def catalog_snapshot():
    return (
        list(Module.objects.order_by("part_number").values_list("part_number", "price_pence")),
        list(System.objects.order_by("slug").values_list("slug", "slots", "max_total_gb")),
    )


def test_loads_the_requested_numbers_of_modules_and_systems():
    load("--modules", "120", "--systems", "60", "--seed", "7")
    assert Module.objects.count() == 120
    assert System.objects.count() == 60
    assert Module.history.count() == 120  # a first history row for every module


def test_the_same_seed_gives_the_same_catalog():
    load("--modules", "80", "--systems", "40", "--seed", "3")
    first = catalog_snapshot()
    load("--modules", "80", "--systems", "40", "--seed", "3", "--replace")
    assert catalog_snapshot() == first
    load("--modules", "80", "--systems", "40", "--seed", "4", "--replace")
    assert catalog_snapshot() != first


def test_the_catalog_is_realistic_and_consistent():
    load("--modules", "300", "--systems", "150", "--seed", "1")
    manufacturers = set(System.objects.values_list("manufacturer__name", flat=True))
    assert {"Lenovo", "Dell", "HP", "Apple", "Supermicro"} <= manufacturers
    brands = set(Module.objects.values_list("brand", flat=True))
    made_up = {brand for brand in brands if brand.endswith("(demo)")}
    assert len(made_up) == 5
    assert brands - made_up == {row["manufacturer"] for row in real_module_rows()}
    soldered_only = System.objects.filter(slots=0)
    assert soldered_only.exists()
    for system in soldered_only:
        assert not upgrade_advice_for(system).takes_upgrade
    # Two real machines' sources do not say DIMM or SO-DIMM: nothing can be matched.
    for system in System.objects.filter(slots__gt=0).exclude(form_factor=""):
        assert modules_compatible_with(system).exists(), system


def test_if_empty_leaves_an_existing_catalog_alone():
    ModuleFactory()
    load("--if-empty")
    assert Module.objects.count() == 1


def test_if_empty_loads_an_empty_catalog_with_modest_defaults():
    load("--if-empty")
    assert Module.objects.count() == 400
    assert System.objects.count() == 250


def test_refuses_to_add_to_an_existing_catalog_without_replace():
    ModuleFactory()
    with pytest.raises(CommandError, match="--replace"):
        load("--modules", "10", "--systems", "10")


@pytest.mark.parametrize(
    "arguments",
    [
        ["--modules", "-5"],
        ["--modules", "0"],
        ["--systems", "ten"],
        ["--seed", "-1"],
        ["--modules", "1.5"],
        ["--if-empty", "--replace"],
    ],
)
def test_bad_arguments_are_a_clear_command_error(arguments):
    with pytest.raises(CommandError):
        load(*arguments)
    assert not Module.objects.exists()


def test_every_row_gets_its_history_in_bulk_and_replace_records_the_deletions():
    load("--modules", "30", "--systems", "20", "--seed", "1")
    assert System.history.filter(history_type="+").count() == 20
    first = System.objects.order_by("pk").first()
    created = first.history.get()
    assert created.history_change_reason == "demo catalog"
    assert (created.model, created.slots, created.is_demo) == (
        first.model,
        first.slots,
        first.is_demo,
    )

    load("--modules", "30", "--systems", "20", "--seed", "1", "--replace")
    assert System.history.filter(history_type="-", id=first.pk).count() == 1
    assert Module.history.filter(history_type="-").count() == 30
    assert Module.history.filter(history_type="+").count() == 60


def test_replace_is_refused_while_orders_refer_to_the_catalog():
    load("--modules", "10", "--systems", "10", "--seed", "1")
    OrderLineFactory(module=Module.objects.first())
    with pytest.raises(CommandError, match="cannot be replaced: order lines refer to it"):
        load("--modules", "10", "--systems", "10", "--seed", "2", "--replace")
    with translation.override("fr"), pytest.raises(CommandError, match="des lignes de commande"):
        load("--modules", "10", "--systems", "10", "--seed", "2", "--replace")
    assert Module.objects.count() == 10  # nothing deleted
    assert not Module.history.filter(history_type="-").exists()
