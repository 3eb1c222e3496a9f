import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shop.catalog.selectors import (
    modules_compatible_with,
    modules_searched,
    system_suggestions,
    systems_compatible_with,
    systems_searched,
    upgrade_advice_for,
)
from shop.markets.rules import MARKETS
from shop.models import FormFactor, Generation, OverrideKind
from shop.tests.factories import (
    ManufacturerFactory,
    ModuleFactory,
    SystemFactory,
    SystemModuleOverrideFactory,
)

pytestmark = pytest.mark.django_db

UK = MARKETS["GB"]


def fits(module, system):
    return modules_compatible_with(system).filter(pk=module.pk).exists()


def test_a_module_matching_the_specification_fits():
    assert fits(ModuleFactory(), SystemFactory())


@pytest.mark.parametrize(
    ("module_changes", "system_changes"),
    [
        ({"generation": Generation.DDR5}, {}),
        ({"form_factor": FormFactor.DIMM}, {}),
        ({"capacity_gb": 64}, {"max_per_slot_gb": 32, "max_total_gb": 256}),
        ({"kit_size": 4, "capacity_gb": 8}, {"slots": 2}),
        ({"kit_size": 2, "capacity_gb": 32}, {"max_total_gb": 48}),
        ({"kit_size": 2, "capacity_gb": 16}, {"soldered_gb": 8, "max_total_gb": 32}),
        ({"ecc": True}, {"ecc_support": "none"}),
        ({"registered": True}, {"supports_registered": False}),
        ({"is_active": False}, {}),
    ],
    ids=[
        "generation",
        "form-factor",
        "per-slot",
        "slots",
        "total",
        "total-after-soldered",
        "ecc",
        "registered",
        "not-on-sale",
    ],
)
def test_a_module_breaking_one_rule_does_not_fit(module_changes, system_changes):
    assert not fits(ModuleFactory(**module_changes), SystemFactory(**system_changes))


def test_a_kit_that_fills_the_system_exactly_fits():
    system = SystemFactory(slots=2, max_per_slot_gb=16, max_total_gb=40, soldered_gb=8)
    assert fits(ModuleFactory(kit_size=2, capacity_gb=16), system)


def test_ddr3_system_list_does_not_accept_ddr3l_by_prefix_and_vice_versa():
    ddr3_only = SystemFactory(generations="DDR3", max_speed_mts=1600)
    both = SystemFactory(generations="DDR3,DDR3L", max_speed_mts=1600)
    ddr3l = ModuleFactory(generation=Generation.DDR3L, speed_mts=1600)
    ddr3 = ModuleFactory(generation=Generation.DDR3, speed_mts=1600)
    assert not fits(ddr3l, ddr3_only)
    assert fits(ddr3l, both)
    assert fits(ddr3, both)
    assert list(systems_compatible_with(ddr3l)) == [both]
    assert set(systems_compatible_with(ddr3)) == {ddr3_only, both}


def test_server_memory_fits_servers_only():
    server_module = ModuleFactory(server=True)
    server = SystemFactory(server=True)
    laptop = SystemFactory()
    assert fits(server_module, server)
    assert not fits(server_module, laptop)


def test_a_faster_module_fits_and_runs_at_the_system_speed():
    system = SystemFactory(max_speed_mts=2400)
    fast = ModuleFactory(speed_mts=3200)
    same = ModuleFactory(speed_mts=2400)
    assert set(modules_compatible_with(system)) == {fast, same}


def test_staff_pins_and_exclusions_win_over_the_specification():
    system = SystemFactory()
    excluded = ModuleFactory()
    pinned = ModuleFactory(form_factor=FormFactor.DIMM)
    SystemModuleOverrideFactory(system=system, module=excluded, kind=OverrideKind.EXCLUDE)
    SystemModuleOverrideFactory(system=system, module=pinned, kind=OverrideKind.PIN)
    assert not fits(excluded, system)
    assert fits(pinned, system)
    assert system not in systems_compatible_with(excluded)
    assert system in systems_compatible_with(pinned)


def test_a_soldered_only_system_takes_nothing():
    system = SystemFactory(soldered_only=True)
    ModuleFactory(capacity_gb=4)
    assert not modules_compatible_with(system).exists()
    advice = upgrade_advice_for(system)
    assert not advice.takes_upgrade
    assert advice.paths == []
    assert advice.maximum_gb == 16


def test_upgrade_advice_fills_every_slot_largest_first():
    system = SystemFactory(slots=2, max_per_slot_gb=16, max_total_gb=32)
    ModuleFactory(capacity_gb=16, kit_size=2)
    advice = upgrade_advice_for(system)
    assert advice.takes_upgrade
    assert advice.maximum_gb == 32
    best = advice.paths[0]
    assert (best.count, best.capacity_gb, best.total_gb, best.is_maximum) == (2, 16, 32, True)
    assert best.in_catalog
    assert [p.capacity_gb for p in advice.paths] == [16, 8, 4]
    assert not advice.paths[1].in_catalog


def test_upgrade_advice_counts_soldered_memory_and_the_total_limit():
    system = SystemFactory(slots=1, soldered_gb=8, max_per_slot_gb=32, max_total_gb=24)
    advice = upgrade_advice_for(system)
    assert advice.maximum_gb == 24
    assert advice.paths[0].capacity_gb == 16
    assert advice.paths[0].total_gb == 24


def test_search_finds_modules_by_part_number_brand_and_capacity():
    wanted = ModuleFactory(part_number="CT16G4SFRA32A", brand="Crucial", capacity_gb=16)
    ModuleFactory(part_number="KVR8G", brand="Kingston", capacity_gb=8)
    assert list(modules_searched(query="ct16g4", market=UK)) == [wanted]
    assert list(modules_searched(query="crucial 16GB ddr4", market=UK)) == [wanted]
    assert list(modules_searched(query="  ", market=UK)) == []


def test_search_finds_a_module_by_the_name_the_shop_shows():
    kit = ModuleFactory(brand="Crucial", capacity_gb=16, kit_size=2, speed_mts=3200)
    ModuleFactory(brand="Crucial", capacity_gb=16, kit_size=1, speed_mts=3200)
    ModuleFactory(brand="Crucial", capacity_gb=16, kit_size=2, speed_mts=2666)
    assert str(kit) == "Crucial 32 GB (2 x 16 GB) DDR4-3200 SO-DIMM"
    assert list(modules_searched(query=str(kit), market=UK)) == [kit]
    assert kit in modules_searched(query="crucial 32GB ddr4-3200", market=UK)


def test_search_finds_systems_by_model_and_suggests_them():
    dell = ManufacturerFactory(name="Dell", slug="dell")
    latitude = SystemFactory(manufacturer=dell, model_line="Latitude 5000", model="5490")
    SystemFactory(model="T480")
    assert list(systems_searched(query="latitude 5490")) == [latitude]
    assert system_suggestions(query="549", manufacturer=dell) == [
        {"label": "Dell Latitude 5000 5490", "url": "/en/finder/dell-latitude-5000-5490/"}
    ]
    assert system_suggestions(query="549", manufacturer=ManufacturerFactory(name="HP")) == []


MODULE_SPECS = st.fixed_dictionaries(
    {
        "generation": st.sampled_from(Generation.values),
        "form_factor": st.sampled_from(FormFactor.values),
        "capacity_gb": st.sampled_from([4, 8, 16, 32, 64]),
        "kit_size": st.sampled_from([1, 2, 4]),
        "ecc": st.booleans(),
        "registered": st.booleans(),
        "ranks": st.sampled_from([None, 1, 2, 4]),
        "voltage_mv": st.sampled_from([1100, 1200, 1350, 1500]),
    }
)
SYSTEM_SPECS = st.fixed_dictionaries(
    {
        "generations": st.sampled_from(["DDR3", "DDR3L", "DDR3,DDR3L", "DDR4", "DDR5"]),
        "form_factor": st.sampled_from(FormFactor.values),
        "slots": st.integers(0, 8),
        "soldered_gb": st.sampled_from([0, 8, 16]),
        "max_per_slot_gb": st.sampled_from([None, 0, 8, 16, 32, 64]),
        "max_total_gb": st.sampled_from([16, 32, 64, 128]),
        "ecc_support": st.sampled_from(["required", "optional", "none"]),
        "supports_registered": st.booleans(),
        "max_ranks": st.sampled_from([None, 1, 2]),
        "max_module_voltage_mv": st.sampled_from([None, 1200, 1350]),
    }
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(module_spec=MODULE_SPECS, system_spec=SYSTEM_SPECS)
def test_both_directions_of_compatibility_agree(module_spec, system_spec):
    module = ModuleFactory(**module_spec)
    system = SystemFactory(**system_spec)
    by_system = modules_compatible_with(system).filter(pk=module.pk).exists()
    by_module = systems_compatible_with(module).filter(pk=system.pk).exists()
    assert by_system == by_module
    upgradeable = system.max_total_gb - system.soldered_gb
    per_slot = system.max_per_slot_gb
    if per_slot is None:
        per_slot = upgradeable // system.slots if system.slots else 0
    voltage_limit = system.max_module_voltage_mv
    if voltage_limit is None and system.generations == "DDR3L":
        voltage_limit = 1350
    expected = (
        module.generation in system.generation_list
        and module.form_factor == system.form_factor
        and module.capacity_gb <= per_slot
        and module.kit_size <= system.slots
        and module.total_capacity_gb <= system.max_total_gb - system.soldered_gb
        and (system.ecc_support == "optional" or module.ecc == (system.ecc_support == "required"))
        and (system.supports_registered or not module.registered)
        and (system.max_ranks is None or (module.ranks or 99) <= system.max_ranks)
        and (voltage_limit is None or module.voltage_mv <= voltage_limit)
    )
    assert by_system == expected
