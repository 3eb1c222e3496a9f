"""The history of memory generations, as data, and the check that a made-up system
respects it: no DDR5 in a 2014 machine, SO-DIMM in laptops, speeds and module sizes a
machine of that generation had. The demo generator's ranges (ranges.py) are written to
these rules and the tests check every generated system against them."""

from dataclasses import dataclass, field

from shop.models import FormFactor, SystemKind


@dataclass(frozen=True)
class GenerationRule:
    first_year: int  # first year of machines with it
    last_year: int  # last year new machines came with it
    speeds_mts: tuple  # the maximum speeds machines of that generation were made for
    max_per_slot_gb: dict = field(default_factory=dict)  # form factor -> largest module
    first_laptop_year: int | None = None  # laptops that adopted it later
    soldered_only: bool = False  # LPDDR: on the motherboard, never in a slot


SO, DIMM, RDIMM, LRDIMM = FormFactor.SODIMM, FormFactor.DIMM, FormFactor.RDIMM, FormFactor.LRDIMM
GENERATION_RULES = {
    "DDR3": GenerationRule(
        2007, 2015, (1066, 1333, 1600, 1866), {SO: 8, DIMM: 8, RDIMM: 32, LRDIMM: 64}
    ),
    "DDR3L": GenerationRule(2013, 2016, (1333, 1600, 1866), {SO: 8, DIMM: 8}),
    "DDR4": GenerationRule(
        2014,
        2026,
        (2133, 2400, 2666, 2933, 3200),
        {SO: 32, DIMM: 32, RDIMM: 64, LRDIMM: 128},
        first_laptop_year=2015,
    ),
    "DDR5": GenerationRule(
        2021, 2026, (4800, 5200, 5600, 6000, 6400), {SO: 48, DIMM: 48, RDIMM: 96, LRDIMM: 128}
    ),
    "LPDDR3": GenerationRule(2013, 2017, (1600, 1866, 2133), soldered_only=True),
    "LPDDR4X": GenerationRule(2019, 2023, (3733, 4266), soldered_only=True),
    "LPDDR5": GenerationRule(2021, 2026, (5500, 6400), soldered_only=True),
}

# The module form factors each kind of machine takes.
FORM_FACTORS_BY_KIND = {
    SystemKind.LAPTOP: {SO},
    SystemKind.MINI: {SO},
    SystemKind.DESKTOP: {DIMM},
    SystemKind.WORKSTATION: {DIMM, RDIMM},
    SystemKind.SERVER: {RDIMM, LRDIMM},
}
PORTABLE_KINDS = {SystemKind.LAPTOP}


def generation_rule_breaches(system) -> list[str]:
    """What in a made-up `system` contradicts the history of memory generations (empty
    when nothing does). Plain sentences, for a test's failure message."""
    breaches = []
    name = str(system)
    if system.year is None:
        return [f"{name}: a made-up system needs a year to be checked"]
    for generation in system.generation_list:
        rule = GENERATION_RULES.get(generation)
        if rule is None:
            breaches.append(f"{name}: unknown generation {generation}")
            continue
        first = rule.first_year
        if system.kind in PORTABLE_KINDS and rule.first_laptop_year:
            first = rule.first_laptop_year
        if not first <= system.year <= rule.last_year:
            breaches.append(
                f"{name}: {generation} in {system.year} (made {first}-{rule.last_year})"
            )
        if system.max_speed_mts not in rule.speeds_mts:
            breaches.append(f"{name}: {generation} at {system.max_speed_mts} MT/s")
        if rule.soldered_only:
            if system.slots or system.form_factor_list:
                breaches.append(f"{name}: {generation} is soldered, yet the system has slots")
            if system.soldered_gb != system.max_total_gb:
                breaches.append(f"{name}: soldered {system.soldered_gb} GB, maximum differs")
            continue
        if not system.slots:
            breaches.append(f"{name}: {generation} modules but no slot")
        for form_factor in system.form_factor_list:
            if form_factor not in FORM_FACTORS_BY_KIND[system.kind]:
                breaches.append(f"{name}: {form_factor} in a {system.kind}")
            largest = rule.max_per_slot_gb.get(form_factor)
            if largest is None:
                breaches.append(f"{name}: no {generation} {form_factor} modules were made")
            elif system.max_per_slot_gb is None or system.max_per_slot_gb > largest:
                breaches.append(f"{name}: {system.max_per_slot_gb} GB per slot of {generation}")
        if not system.form_factor_list:
            breaches.append(f"{name}: slots without a form factor")
        if system.max_total_gb > (system.soldered_gb or 0) + system.slots * (
            system.max_per_slot_gb or 0
        ):
            breaches.append(f"{name}: a maximum of {system.max_total_gb} GB cannot be reached")
    return breaches
