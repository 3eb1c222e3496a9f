"""A realistic, deterministic demo catalog at any scale (`manage.py load_demo_catalog`).

Everything the generator knows is data, in shop/services/demo_ranges.py: memory
platforms, the manufacturers' model lines that use them, and the module families we sell
for them. The same seed always gives the same catalog. Modules get their first history
row through simple-history's bulk helper, so stock changes made later are audited from
a known starting point.
"""

import random

from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from shop.catalog.cache import catalog_version_bump
from shop.models import Generation, Manufacturer, Module, System, SystemModuleOverride
from shop.services.demo_ranges import (
    FORM_FACTOR_CODES,
    LIFETIME_BRANDS,
    MODEL_LINES,
    MODULE_FAMILIES,
    PART_PREFIXES,
    PLATFORMS,
)

BATCH_SIZE = 1000


def _system_rows(*, count, rng, manufacturers):
    """`count` systems, spread over the model lines, newest platforms last in each."""
    numbers = [0] * len(MODEL_LINES)
    seen_slugs = set()
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
        platform_key = line.platforms[k % len(line.platforms)]
        platform = PLATFORMS[platform_key]
        slug = slugify(f"{line.manufacturer} {System(model_line=line.name, model=model).name}")[
            :150
        ]
        while slug in seen_slugs:
            slug = f"{slug}-{k}"
        seen_slugs.add(slug)
        yield System(
            manufacturer=manufacturers[line.manufacturer],
            model_line=line.name,
            model=model,
            slug=slug,
            kind=line.kind,
            slots=platform.slots,
            soldered_gb=platform.soldered_gb,
            max_per_slot_gb=platform.max_per_slot_gb,
            max_total_gb=platform.max_total_gb,
            generations=platform.generations,
            form_factor=platform.form_factor,
            max_speed_mts=platform.max_speed_mts,
            supports_ecc=platform.ecc,
            supports_registered=platform.registered,
        )


def _module_rows(*, count, rng):
    for index in range(count):
        family = MODULE_FAMILIES[index % len(MODULE_FAMILIES)]
        capacity = family.capacities_gb[(index // len(MODULE_FAMILIES)) % len(family.capacities_gb)]
        speed, cas = rng.choice(family.speeds)
        kit_size = rng.choice(family.kit_sizes)
        brand = rng.choice(family.brands)
        voltage = family.voltage_mv
        if brand == "Corsair" and family.generation == Generation.DDR5 and speed >= 6000:
            voltage = 1350
        digit = family.generation[3]
        kit = f"{kit_size}K" if kit_size > 1 else ""
        part_number = (
            f"{PART_PREFIXES[brand]}{kit}{capacity}G{digit}{FORM_FACTOR_CODES[family.form_factor]}"
            f"{speed // 100}{'E' if family.ecc else ''}-{index + 1:05d}"
        )
        price = family.pence_per_gb * capacity * kit_size
        price += price * speed // 20000 + rng.randrange(0, 800)
        price = max(price // 100 * 100 + 99, 499)
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
            price_pence=price,
            stock=0 if rng.random() < 0.15 else rng.randrange(1, 150),
            warranty_years=None if lifetime else rng.choice((3, 5)),
            is_active=rng.random() >= 0.03,
        )


@transaction.atomic
def demo_catalog_load(*, modules: int, systems: int, seed: int, replace: bool = False) -> dict:
    """Build the demo catalog. Returns how many rows of each kind were created."""
    if replace:
        SystemModuleOverride.objects.all().delete()
        System.objects.all().delete()
        Manufacturer.objects.all().delete()
        Module.objects.all().delete()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    names = sorted({line.manufacturer for line in MODEL_LINES})
    Manufacturer.objects.bulk_create(
        [Manufacturer(name=name, slug=slugify(name)) for name in names],
        ignore_conflicts=True,
    )
    manufacturers = {m.name: m for m in Manufacturer.objects.filter(name__in=names)}
    System.objects.bulk_create(
        list(_system_rows(count=systems, rng=rng, manufacturers=manufacturers)),
        batch_size=BATCH_SIZE,
    )
    bulk_create_with_history(
        list(_module_rows(count=modules, rng=rng)),
        Module,
        batch_size=BATCH_SIZE,
        default_change_reason="demo catalog",
    )
    catalog_version_bump()
    return {"manufacturers": len(names), "systems": systems, "modules": modules}
