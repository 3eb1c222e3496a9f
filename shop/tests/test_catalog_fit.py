"""The finder never offers a module that its source rules out: checked over every real
machine of real_systems.csv and every made-up one against every demo module, by an
oracle read straight from the facts file, and rule by rule with a control beside each
(the same module goes in a machine whose source allows it)."""

import pytest
from django.core.management import call_command
from django.test import Client

from shop.catalog.demo.real_modules import real_module_rows
from shop.catalog.demo.real_systems import real_system_rows
from shop.catalog.selectors import (
    PathStock,
    modules_compatible_with,
    modules_searched,
    systems_compatible_with,
    upgrade_advice_for,
)
from shop.markets.rules import MARKETS
from shop.models import EccSupport, FormFactor, Generation, Module, System
from shop.tests.factories import ModuleFactory, SystemFactory

UK = MARKETS["GB"]

pytestmark = pytest.mark.django_db

DEMO_MARK = "(demo)"
CODES = {"SO-DIMM": "SODIMM", "DIMM": "DIMM", "RDIMM": "RDIMM", "LRDIMM": "LRDIMM"}


def load_demo(systems=300, modules=600):
    call_command(
        "load_demo_catalog", "--systems", str(systems), "--modules", str(modules),
        "--seed", "5", "--replace",
    )  # fmt: skip


def real(model):
    return System.objects.get(model=model)


def source_allows(row, module):
    """What the research row says, read plainly: the oracle for every real machine."""
    generations = row["memory_generation"].split(";")
    form_factors = [CODES[name] for name in row["form_factor"].split(";") if name in CODES]
    slots = int(row["slots"])
    total = int(row["max_total_gb"]) - int(row["soldered_gb"] or 0)
    per_slot = int(row["max_per_slot_gb"]) if row["max_per_slot_gb"] else total // max(slots, 1)
    registered_only = form_factors and set(form_factors) <= {"RDIMM", "LRDIMM"}
    needs_ecc = row["ecc"] == "yes" or registered_only
    takes_ecc = needs_ecc or row["ecc"] == "optional"
    voltage = row["max_module_voltage_mv"] or ("1350" if generations == ["DDR3L"] else "")
    return (
        module.generation in generations
        and module.form_factor in form_factors
        and module.capacity_gb <= per_slot
        and module.kit_size <= slots
        and module.total_capacity_gb <= total
        and (module.ecc if needs_ecc else (takes_ecc or not module.ecc))
        and (not row["max_ranks"] or (module.ranks or 99) <= int(row["max_ranks"]))
        and (not voltage or module.voltage_mv <= int(voltage))
    )


def test_no_real_machine_is_offered_a_module_its_source_rules_out():
    load_demo()
    modules = list(Module.objects.filter(is_active=True))
    offered_somewhere = 0
    for row in real_system_rows():
        system = System.objects.get(model=row["model"], manufacturer__name=row["manufacturer"])
        offered = set(modules_compatible_with(system).values_list("pk", flat=True))
        expected = {module.pk for module in modules if source_allows(row, module)}
        assert offered == expected, system
        offered_somewhere += bool(offered)
    assert offered_somewhere >= 30  # the check is not empty: most machines get modules


def test_made_up_machines_get_only_modules_both_directions_agree_on():
    load_demo(systems=200, modules=300)
    for system in System.objects.filter(is_demo=True, slots__gt=0)[:60]:
        for module in modules_compatible_with(system)[:10]:
            assert systems_compatible_with(module).filter(pk=system.pk).exists()
            assert module.ecc or system.ecc_support != EccSupport.REQUIRED


def test_machines_that_need_ecc_are_offered_only_ecc_modules():
    load_demo()
    non_ecc = ModuleFactory(generation=Generation.DDR3, form_factor=FormFactor.DIMM, capacity_gb=4)
    ecc = ModuleFactory(
        generation=Generation.DDR3, form_factor=FormFactor.DIMM, capacity_gb=4, ecc=True
    )
    for model in ("Mac Pro (Mid 2012) 12-Core (MD771LL/A)", "Z420 Workstation"):
        offered = modules_compatible_with(real(model))
        assert offered.exists(), model
        assert not offered.filter(ecc=False).exists(), model
        assert ecc in offered and non_ecc not in offered
    # Control: a machine whose source does not mention ECC takes the non-ECC module.
    assert non_ecc in modules_compatible_with(real("OptiPlex 3020 MT/SFF"))
    assert ecc not in modules_compatible_with(real("OptiPlex 3020 MT/SFF"))


def test_a_processor_condition_on_ecc_is_shown_as_a_condition():
    load_demo(systems=42, modules=60)
    page = Client().get(real("Z230 Tower").get_absolute_url()).content.decode()
    assert "ECC or non-ECC modules" in page
    assert "ECC works only with an Intel Xeon, Core i3 or Pentium processor" in page
    control = Client().get(real("OptiPlex 3020 MT/SFF").get_absolute_url()).content.decode()
    assert "ECC works only with" not in control


def test_an_unstated_per_slot_maximum_offers_only_what_is_proven():
    load_demo(systems=42, modules=60)
    nuc = real("NUC6i3SYH")  # 2 slots, 32 GB in total, no per-slot maximum stated
    big = ModuleFactory(capacity_gb=32, generation=Generation.DDR4, form_factor=FormFactor.SODIMM)
    fits = ModuleFactory(
        capacity_gb=16, generation=Generation.DDR4, form_factor=FormFactor.SODIMM, ranks=1
    )
    offered = modules_compatible_with(nuc)
    assert fits in offered and big not in offered
    assert not offered.filter(capacity_gb__gt=16).exists()
    advice = upgrade_advice_for(nuc)
    assert advice.max_per_slot_gb is None and advice.per_slot_proven_gb == 16
    page = Client().get(nuc.get_absolute_url()).content.decode()
    assert "Not stated by the source" in page
    assert "We offer modules of up to 16 GB each" in page
    # Control: the same 32 GB module where the source states 32 GB per slot.
    assert big in modules_compatible_with(real("iMac (Retina 5K, 27-inch, 2020)"))


def test_ddr3l_only_machines_get_only_low_voltage_modules():
    load_demo(systems=42, modules=60)
    low = ModuleFactory(generation=Generation.DDR3L, form_factor=FormFactor.SODIMM,
                        capacity_gb=4, voltage_mv=1350, speed_mts=1600)  # fmt: skip
    high = ModuleFactory(generation=Generation.DDR3L, form_factor=FormFactor.SODIMM,
                         capacity_gb=4, voltage_mv=1500, speed_mts=1600)  # fmt: skip
    offered = modules_compatible_with(real("100-15IBD"))
    assert low in offered and high not in offered
    assert real("100-15IBD") not in systems_compatible_with(high)
    # Control: a laptop taking DDR3 or DDR3L (1.5 V allowed) takes both.
    control = SystemFactory(
        generations="DDR3,DDR3L", form_factor="SODIMM", max_per_slot_gb=8, max_total_gb=16
    )
    assert {low, high} <= set(modules_compatible_with(control))


def test_rank_limits_keep_out_larger_and_unstated_ranks():
    load_demo(systems=42, modules=60)
    elite = real("EliteOne 800 G3")  # "single-sided and double-sided SODIMMs"
    specs = {"generation": Generation.DDR4, "form_factor": FormFactor.SODIMM, "capacity_gb": 8}
    two, four, unknown = (ModuleFactory(ranks=r, **specs) for r in (2, 4, None))
    offered = set(modules_compatible_with(elite))
    assert two in offered and four not in offered and unknown not in offered
    # Control: the ThinkPad T460p's source states no rank limit.
    assert {two, four, unknown} <= set(modules_compatible_with(real("ThinkPad T460p")))


def test_upgrade_paths_say_what_is_in_stock():
    load_demo(systems=42, modules=60)
    xps = real("XPS 8900")  # the source does not say DIMM or SO-DIMM
    for size in (4, 8, 16):
        ModuleFactory(generation=Generation.DDR4, form_factor=FormFactor.DIMM, capacity_gb=size)
    paths = upgrade_advice_for(xps).paths
    assert [path.capacity_gb for path in paths] == [16, 8, 4]
    assert {path.stock for path in paths} == {PathStock.UNCONFIRMED}
    page = Client().get(xps.get_absolute_url()).content.decode()
    assert "not in our catalog" not in page
    assert "in stock, but our source does not say which module type fits" in page
    # Control: a sourced DIMM desktop says in stock, or out of stock when it is.
    optiplex = real("OptiPlex 7040 Mini Tower")
    Module.objects.filter(generation=Generation.DDR4, form_factor=FormFactor.DIMM).update(stock=0)
    ModuleFactory(generation=Generation.DDR4, form_factor=FormFactor.DIMM, capacity_gb=16)
    stock = {path.capacity_gb: path.stock for path in upgrade_advice_for(optiplex).paths}
    assert stock[16] == PathStock.IN_STOCK
    assert stock[8] in (PathStock.OUT_OF_STOCK, PathStock.NOT_SOLD)


def test_every_demo_module_is_a_sourced_real_part_or_a_made_up_makers():
    load_demo(systems=42, modules=400)
    sourced = {row["part_number"]: row for row in real_module_rows()}
    real_parts = 0
    for module in Module.objects.all():
        if module.part_number in sourced:
            row = sourced[module.part_number]
            assert module.brand == row["manufacturer"]
            facts = (module.capacity_gb, module.speed_mts, module.cas_latency, module.voltage_mv)
            assert facts == tuple(
                int(row[column])
                for column in ("capacity_gb", "speed_mts", "cas_latency", "voltage_mv")
            )
            real_parts += 1
        else:
            assert module.brand.endswith(DEMO_MARK), module
            assert module.part_number.startswith("DEMO-"), module
        assert module.is_demo
    assert real_parts == len(sourced)


def test_the_reference_file_of_real_modules_is_complete_and_sourced():
    rows = real_module_rows()
    assert rows
    for row in rows:
        assert row["source_url"].startswith(("http://", "https://")), row
        assert row["source_excerpt"], row
        assert row["manufacturer"] in {"Crucial", "Kingston", "Samsung", "SK hynix",
                                       "Corsair", "Micron"}  # fmt: skip
        for column in ("capacity_gb", "kit_size", "speed_mts", "cas_latency", "voltage_mv"):
            assert int(row[column]) > 0, (row["part_number"], column)
    assert len({row["part_number"] for row in rows}) == len(rows)


# The nominal voltages a module of each generation can state, in millivolts.
NOMINAL_VOLTAGES_MV = {"DDR3": {1500, 1350}, "DDR3L": {1350}, "DDR4": {1200}, "DDR5": {1100}}


def _reference_row_breaches(row):
    """What in a row of real_modules.csv contradicts itself (empty when nothing does)."""
    breaches = []
    if int(row["voltage_mv"]) not in NOMINAL_VOLTAGES_MV[row["generation"]]:
        breaches.append(f"{row['generation']} at {row['voltage_mv']} mV")
    buffered = row["form_factor"] in ("RDIMM", "LRDIMM")
    if (row["registered"] == "yes") != buffered:
        breaches.append(f"{row['form_factor']} with registered={row['registered']}")
    if buffered and row["ecc"] != "yes":
        breaches.append(f"{row['form_factor']} without ECC")
    if len(row["source_excerpt"].split()) > 40:
        breaches.append("excerpt longer than 40 words")
    return breaches


def test_the_reference_file_covers_every_generation_and_module_type_consistently():
    rows = real_module_rows()
    assert len(rows) >= 60
    assert {row["generation"] for row in rows} == set(NOMINAL_VOLTAGES_MV)
    kinds = {(row["form_factor"], row["ecc"], row["registered"]) for row in rows}
    for kind in [("SODIMM", "no", "no"), ("DIMM", "no", "no"), ("DIMM", "yes", "no"),
                 ("RDIMM", "yes", "yes"), ("LRDIMM", "yes", "yes")]:  # fmt: skip
        assert kind in kinds, kind
    for row in rows:
        assert _reference_row_breaches(row) == [], row["part_number"]


def test_the_consistency_check_on_the_reference_file_bites():
    """Control: a DDR4 row stating 1.5 V, or an RDIMM said to be unbuffered, is caught."""
    ddr4 = next(row for row in real_module_rows() if row["generation"] == "DDR4")
    assert _reference_row_breaches(dict(ddr4, voltage_mv="1500")) == ["DDR4 at 1500 mV"]
    rdimm = next(row for row in real_module_rows() if row["form_factor"] == "RDIMM")
    assert _reference_row_breaches(dict(rdimm, registered="no")) == ["RDIMM with registered=no"]


def test_searching_a_real_part_number_finds_that_module():
    load_demo(systems=42, modules=120)
    for row in real_module_rows():
        found = modules_searched(query=row["part_number"].lower(), market=UK)
        assert row["part_number"] in set(found.values_list("part_number", flat=True))
    assert not modules_searched(
        query="CT16G4SFRA32A", market=UK
    ).exists()  # not sourced, so not sold


def test_the_voltage_reads_with_a_decimal_comma_in_french():
    module = ModuleFactory(voltage_mv=1200)
    assert "1.20 V" in Client().get(f"/en/memory/{module.slug}/").content.decode()
    french = Client().get(f"/fr/memory/{module.slug}/").content.decode()
    assert "1,20\xa0V" in french or "1,20 V" in french
