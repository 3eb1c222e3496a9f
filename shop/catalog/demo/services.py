"""A realistic, deterministic demo catalog at any scale (`manage.py load_demo_catalog`).

Systems are first the real machines of real_systems.csv, with exactly the facts their
sources give; past those, made-up machines of made-up makers whose names say "(demo)",
built from the platforms in ranges.py, which follow the history of memory generations
in generations.py. A real model name never gets invented specifications.

Everything the generator knows is data (ranges.py): memory platforms, the model lines
that use them, and the module families we sell for them. The same seed always gives the
same catalog. Modules and systems get their first history row, so stock changes made
later are audited from a known starting point; replacing the catalog writes a deletion
row for each. Loading marks the catalog as demo data, which a banner tells shoppers
until staff load a real catalog.

At a real catalog's size (200,000 systems) rows are written in bulk (bulk.py: COPY on
PostgreSQL), their history rows in one statement per table, and the catalog version is
bumped once: no per-row save, signal or history write.
"""

import random

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shop.catalog.cache import catalog_version_bump
from shop.catalog.demo.bulk import (
    history_rows_write,
    last_id,
    rows_delete,
    rows_write,
    tables_settle,
)
from shop.catalog.demo.ranges import (
    FORM_FACTOR_CODES,
    LIFETIME_BRANDS,
    MODEL_LINES,
    MODULE_FAMILIES,
    OVERCLOCKING_BRAND,
    PART_PREFIXES,
    PLATFORMS,
)
from shop.catalog.demo.real_modules import module_facts, real_module_rows
from shop.catalog.demo.real_systems import real_system_rows, system_facts
from shop.catalog.services import catalog_source_set
from shop.models import Generation, Manufacturer, Module, System, SystemModuleOverride

HISTORY_REASON = "demo catalog"
# Cleared by --replace, in this order (each refers only to those after it).
CATALOG_MODELS = (SystemModuleOverride, System, Manufacturer, Module)


class DemoCatalogRefused(Exception):
    """The catalog cannot be replaced (rows outside the catalog refer to it)."""


def _real_systems(*, count, manufacturers):
    """The first `count` machines of real_systems.csv, with their facts only."""
    for row in real_system_rows()[:count]:
        yield System(manufacturer=manufacturers[row["manufacturer"]], **system_facts(row))


def _made_up_systems(*, count, rng, manufacturers, seen_slugs):
    """`count` made-up systems, spread over the model lines, each line's platforms in
    turn, each in a year its platform was sold."""
    numbers = [0] * len(MODEL_LINES)
    for index in range(count):
        line_index = (
            index % len(MODEL_LINES)
            if index < len(MODEL_LINES)
            else rng.randrange(len(MODEL_LINES))
        )
        line = MODEL_LINES[line_index]
        k = numbers[line_index]
        numbers[line_index] += 1
        number = line.first_number + (k // len(line.suffixes)) * line.step
        model = line.model_name(number, line.suffixes[k % len(line.suffixes)])
        platform = PLATFORMS[line.platforms[k % len(line.platforms)]]
        first_year, last_year = platform.years
        year = first_year + (k // len(line.platforms)) % (last_year - first_year + 1)
        slug = slugify(f"{line.manufacturer} {model}")[:150]
        while slug in seen_slugs:
            slug = f"{slug}-{k}"
        seen_slugs.add(slug)
        yield System(
            manufacturer=manufacturers[line.manufacturer],
            model_line=line.name,
            model=model,
            slug=slug,
            kind=line.kind,
            year=year,
            slots=platform.slots,
            soldered_gb=platform.soldered_gb,
            max_per_slot_gb=platform.max_per_slot_gb,
            max_total_gb=platform.max_total_gb,
            generations=platform.generations,
            form_factor=platform.form_factor,
            max_speed_mts=platform.max_speed_mts,
            ecc_support=platform.ecc,
            supports_registered=platform.registered,
            max_module_voltage_mv=platform.max_module_voltage_mv,
            is_demo=True,
        )


def _system_rows(*, count, rng, manufacturers):
    real = list(_real_systems(count=count, manufacturers=manufacturers))
    yield from real
    yield from _made_up_systems(
        count=count - len(real),
        rng=rng,
        manufacturers=manufacturers,
        seen_slugs={system.slug for system in real},
    )


def demo_price_eur_cents(price_pence: int) -> int:
    """The demo France price list: a fixed 1.16 euro to the pound, ending in ,99 as the
    pound prices do. Real prices are set per market by staff or the import."""
    cents = price_pence * 116 // 100
    return max(cents // 100 * 100 + 99, 599)


def _demo_price(*, pence_per_gb, gigabytes, speed, rng):
    price = pence_per_gb * gigabytes
    price += price * speed // 20000 + rng.randrange(0, 800)
    return max(price // 100 * 100 + 99, 499)


def _family_for(facts):
    """The demo family of the same kind, for a demo price per gigabyte."""
    for family in MODULE_FAMILIES:
        if (family.generation, family.form_factor, family.ecc) == (
            facts["generation"],
            facts["form_factor"],
            facts["ecc"],
        ):
            return family
    return None


def _made_up_ranks(family, capacity):
    """A made-up maker's module states its ranks: small modules single-rank, large
    registered ones quad-rank, load-reduced ones quad-rank."""
    if family.form_factor == "LRDIMM" or (family.registered and capacity >= 128):
        return 4
    return 1 if capacity <= 8 else 2


def _real_module_rows(*, count, rng):
    """The first `count` modules of real_modules.csv, with demo price and stock."""
    for row in real_module_rows()[:count]:
        facts = module_facts(row)
        family = _family_for(facts)
        price = _demo_price(
            pence_per_gb=family.pence_per_gb if family else 400,
            gigabytes=facts["capacity_gb"] * facts["kit_size"],
            speed=facts["speed_mts"],
            rng=rng,
        )
        yield Module(
            **facts,
            slug=slugify(facts["part_number"])[:80],
            price_pence=price,
            price_eur_cents=demo_price_eur_cents(price),
            stock=rng.randrange(1, 150),
            warranty_years=rng.choice((3, 5)),
            is_active=True,
            is_demo=True,
        )


def _made_up_module_rows(*, count, rng, first_index):
    for index in range(first_index, first_index + count):
        family = MODULE_FAMILIES[index % len(MODULE_FAMILIES)]
        capacity = family.capacities_gb[(index // len(MODULE_FAMILIES)) % len(family.capacities_gb)]
        speed, cas = rng.choice(family.speeds)
        kit_size = rng.choice(family.kit_sizes)
        brand = rng.choice(family.brands)
        voltage = family.voltage_mv
        if brand == OVERCLOCKING_BRAND and family.generation == Generation.DDR5 and speed >= 6000:
            voltage = 1350
        digit = family.generation[3]
        kit = f"{kit_size}K" if kit_size > 1 else ""
        part_number = (
            f"{PART_PREFIXES[brand]}-{kit}{capacity}G{digit}"
            f"{FORM_FACTOR_CODES[family.form_factor]}{speed // 100}"
            f"{'E' if family.ecc else ''}-{index + 1:05d}"
        )
        price = _demo_price(
            pence_per_gb=family.pence_per_gb,
            gigabytes=capacity * kit_size,
            speed=speed,
            rng=rng,
        )
        lifetime = brand in LIFETIME_BRANDS and not family.registered
        yield Module(
            part_number=part_number,
            slug=slugify(part_number),
            brand=brand,
            generation=family.generation,
            form_factor=family.form_factor,
            capacity_gb=capacity,
            kit_size=kit_size,
            speed_mts=speed,
            cas_latency=cas,
            voltage_mv=voltage,
            ecc=family.ecc,
            registered=family.registered,
            ranks=_made_up_ranks(family, capacity),
            price_pence=price,
            price_eur_cents=demo_price_eur_cents(price),
            stock=0 if rng.random() < 0.15 else rng.randrange(1, 150),
            warranty_years=None if lifetime else rng.choice((3, 5)),
            is_active=rng.random() >= 0.03,
            is_demo=True,
        )


def _module_rows(*, count, rng):
    """The real modules of real_modules.csv first, then made-up ones."""
    real = list(_real_module_rows(count=count, rng=rng))
    yield from real
    yield from _made_up_module_rows(count=count - len(real), rng=rng, first_index=len(real))


def _catalog_clear():
    """Delete the whole catalog: one deletion history row per module and system, then
    one DELETE per table. Refused while anything outside the catalog protects a row
    (an order line's module)."""
    for model in CATALOG_MODELS:
        for relation in model._meta.related_objects:
            protecting = relation.related_model not in CATALOG_MODELS and (
                relation.on_delete.__name__ in {"PROTECT", "RESTRICT"}
            )
            lookup = {f"{relation.field.name}__isnull": False}
            if protecting and relation.related_model.objects.filter(**lookup).exists():
                raise DemoCatalogRefused(
                    _("The catalog cannot be replaced: %(rows)s refer to it.")
                    % {"rows": relation.related_model._meta.verbose_name_plural}
                )
    for model in (System, Module):
        history_rows_write(model, history_type="-", reason=HISTORY_REASON)
    for model in CATALOG_MODELS:
        rows_delete(model)


def _rows_with_history(model, objects):
    after_id = last_id(model)
    rows_write(model, objects)
    history_rows_write(model, history_type="+", reason=HISTORY_REASON, after_id=after_id)


@transaction.atomic
def demo_catalog_load(*, modules: int, systems: int, seed: int, replace: bool = False) -> dict:
    """Build the demo catalog. Returns how many rows of each kind were created."""
    if replace:
        _catalog_clear()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    names = sorted(
        {line.manufacturer for line in MODEL_LINES}
        | {row["manufacturer"] for row in real_system_rows()}
    )
    Manufacturer.objects.bulk_create(
        [Manufacturer(name=name, slug=slugify(name)) for name in names],
        ignore_conflicts=True,
    )
    manufacturers = {m.name: m for m in Manufacturer.objects.filter(name__in=names)}
    _rows_with_history(System, _system_rows(count=systems, rng=rng, manufacturers=manufacturers))
    _rows_with_history(Module, _module_rows(count=modules, rng=rng))
    tables_settle(Manufacturer, System, Module)
    catalog_source_set(is_demo=True)
    catalog_version_bump()
    return {"manufacturers": len(names), "systems": systems, "modules": modules}
