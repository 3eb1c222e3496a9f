"""Reads of the catalog: what is on sale, what fits which system, what a search finds.

Compatibility is derived from the system's memory specification. Each rule is a row
in COMPATIBILITY_RULES: a name, the reason shown to people, and the database filter it
stands for, from the module's side and from the system's side. Staff overrides
(pin/exclude) apply on top.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from offtek.money import CurrencyMismatch, Money
from shop.catalog.system_names import systems_suggested, systems_with_words
from shop.markets.rules import Market
from shop.models import (
    EccSupport,
    Generation,
    Manufacturer,
    Module,
    OverrideKind,
    System,
    SystemModuleOverride,
)

SEARCH_MAX_LENGTH = 100
SEARCH_MAX_TERMS = 6
STANDARD_CAPACITIES_GB = [1, 2, 4, 8, 16, 32, 64, 128, 256]
# DDR5 also comes in the in-between sizes.
DDR5_CAPACITIES_GB = sorted({*STANDARD_CAPACITIES_GB, 24, 48, 96})


def _in_system_list(field, value):
    """Systems whose comma-separated list in `field` holds exactly `value` (DDR3 must
    not match a list that holds only DDR3L)."""
    return (
        Q(**{field: value})
        | Q(**{f"{field}__startswith": f"{value},"})
        | Q(**{f"{field}__endswith": f",{value}"})
        | Q(**{f"{field}__contains": f",{value},"})
    )


def _upgradeable_gb(system):
    """The memory that modules can bring: the maximum less the soldered memory (unknown
    soldered memory only happens in systems without slots)."""
    return max(system.max_total_gb - (system.soldered_gb or 0), 0)


def per_slot_proven_gb(system):
    """The largest module proven to fit one slot: the source's per-slot maximum, or, when
    the source gives none, the memory that modules can bring shared equally among the
    slots (filling every slot with it reaches the stated maximum; a larger module is not
    proven to work, so it is never offered)."""
    if system.max_per_slot_gb is not None:
        return system.max_per_slot_gb
    if not system.slots:
        return 0
    return _upgradeable_gb(system) // system.slots


# A machine that takes DDR3L only runs its modules at 1.35 V.
DDR3L_VOLTAGE_MV = 1350


def module_voltage_limit_mv(system):
    """The highest module voltage the system takes: as stated, else 1.35 V for a
    DDR3L-only machine, else None (no limit stated)."""
    if system.max_module_voltage_mv is not None:
        return system.max_module_voltage_mv
    if system.generation_list == [Generation.DDR3L]:
        return DDR3L_VOLTAGE_MV
    return None


def _ecc_modules_for(system):
    if system.ecc_support == EccSupport.REQUIRED:
        return Q(ecc=True)
    if system.ecc_support == EccSupport.NONE:
        return Q(ecc=False)
    return Q()


def _ecc_systems_for(module):
    if module.ecc:
        return Q(ecc_support__in=[EccSupport.REQUIRED, EccSupport.OPTIONAL])
    return Q(ecc_support__in=[EccSupport.OPTIONAL, EccSupport.NONE])


def _ranks_systems_for(module):
    if module.ranks is None:
        return Q(max_ranks=None)
    return Q(max_ranks=None) | Q(max_ranks__gte=module.ranks)


def _voltage_modules_for(system):
    limit = module_voltage_limit_mv(system)
    return Q() if limit is None else Q(voltage_mv__lte=limit)


def _voltage_systems_for(module):
    stated = Q(max_module_voltage_mv__gte=module.voltage_mv)
    if module.voltage_mv <= DDR3L_VOLTAGE_MV:
        return stated | Q(max_module_voltage_mv=None)
    return stated | (Q(max_module_voltage_mv=None) & ~Q(generations=Generation.DDR3L))


@dataclass(frozen=True)
class CompatibilityRule:
    name: str
    reason: object  # a lazy translation
    modules_for: object  # system -> Q over Module
    systems_for: object  # module -> Q over System


COMPATIBILITY_RULES = [
    CompatibilityRule(
        "generation",
        _("The system takes this memory generation."),
        lambda system: Q(generation__in=system.generation_list),
        lambda module: _in_system_list("generations", module.generation),
    ),
    CompatibilityRule(
        "form_factor",
        _("The module has one of the system's form factors."),
        lambda system: Q(form_factor__in=system.form_factor_list),
        lambda module: _in_system_list("form_factor", module.form_factor),
    ),
    CompatibilityRule(
        "per_slot",
        _(
            "Each module is no larger than the system's maximum per slot or, when the source "
            "does not state one, than its maximum shared among its slots."
        ),
        lambda system: Q(capacity_gb__lte=per_slot_proven_gb(system)),
        lambda module: (
            Q(max_per_slot_gb__gte=module.capacity_gb)
            | Q(
                max_per_slot_gb=None,
                max_total_gb__gte=Coalesce(F("soldered_gb"), 0) + module.capacity_gb * F("slots"),
            )
        ),
    ),
    CompatibilityRule(
        "slots",
        _("The kit has no more modules than the system has slots."),
        lambda system: Q(kit_size__lte=system.slots),
        lambda module: Q(slots__gte=module.kit_size),
    ),
    CompatibilityRule(
        "total",
        _("The kit fits within the system's maximum, after its soldered memory."),
        lambda system: Q(total_gb__lte=_upgradeable_gb(system)),
        lambda module: Q(
            max_total_gb__gte=Coalesce(F("soldered_gb"), 0) + module.total_capacity_gb
        ),
    ),
    CompatibilityRule(
        "ecc",
        _(
            "ECC modules only for systems that need ECC, non-ECC modules only for systems "
            "without ECC, either kind where both work."
        ),
        _ecc_modules_for,
        _ecc_systems_for,
    ),
    CompatibilityRule(
        "registered",
        _("Registered modules only go in systems that support them."),
        lambda system: Q() if system.supports_registered else Q(registered=False),
        lambda module: Q(supports_registered=True) if module.registered else Q(),
    ),
    CompatibilityRule(
        "ranks",
        _(
            "Where the source limits the ranks of a module, only modules whose maker states "
            "no more ranks than that."
        ),
        lambda system: Q() if system.max_ranks is None else Q(ranks__lte=system.max_ranks),
        _ranks_systems_for,
    ),
    CompatibilityRule(
        "voltage",
        _(
            "The module runs at a voltage the system takes: 1.35 V for a DDR3L-only system, "
            "or the highest voltage its source states."
        ),
        _voltage_modules_for,
        _voltage_systems_for,
    ),
]


def _with_total(queryset):
    return queryset.annotate(total_gb=F("capacity_gb") * F("kit_size"))


def modules_on_sale() -> QuerySet:
    return _with_total(Module.objects.filter(is_active=True))


def modules_compatible_with(system: System) -> QuerySet:
    """Modules on sale that fit `system`: by its specification, plus staff pins, minus
    staff exclusions. One query, whatever the size of the catalog."""
    by_specification = Q()
    for rule in COMPATIBILITY_RULES:
        by_specification &= rule.modules_for(system)
    overrides = SystemModuleOverride.objects.filter(system=system)
    pinned = overrides.filter(kind=OverrideKind.PIN).values("module_id")
    excluded = overrides.filter(kind=OverrideKind.EXCLUDE).values("module_id")
    return modules_on_sale().filter((by_specification & ~Q(pk__in=excluded)) | Q(pk__in=pinned))


def systems_compatible_with(module: Module) -> QuerySet:
    """Systems `module` fits: the mirror image of modules_compatible_with."""
    by_specification = Q()
    for rule in COMPATIBILITY_RULES:
        by_specification &= rule.systems_for(module)
    overrides = SystemModuleOverride.objects.filter(module=module)
    pinned = overrides.filter(kind=OverrideKind.PIN).values("system_id")
    excluded = overrides.filter(kind=OverrideKind.EXCLUDE).values("system_id")
    return System.objects.select_related("manufacturer").filter(
        (by_specification & ~Q(pk__in=excluded)) | Q(pk__in=pinned)
    )


# The catalog list: sort orders are data, keyed by the value in the URL. PRICE stands
# for the price column of the market the list is shown in.
PRICE = "price"
MODULE_SORTS = {
    "price": (PRICE, "pk"),
    "-price": (f"-{PRICE}", "pk"),
    "capacity": ("total_gb", PRICE, "pk"),
    "-capacity": ("-total_gb", PRICE, "pk"),
    "speed": ("speed_mts", PRICE, "pk"),
    "-speed": ("-speed_mts", PRICE, "pk"),
    "newest": ("-created_at", "-pk"),
}
DEFAULT_MODULE_SORT = "price"


def module_ordering(sort: str, *, market: Market) -> list[str]:
    """The order_by() fields of a sort, with prices read from `market`'s price list."""
    fields = MODULE_SORTS.get(sort, MODULE_SORTS[DEFAULT_MODULE_SORT])
    return [
        field.replace(PRICE, market.price_field) if PRICE in field else field for field in fields
    ]


def modules_filtered(
    *,
    market: Market,
    generations=(),
    form_factors=(),
    capacity_gb=None,
    min_speed_mts=None,
    ecc=None,
    min_price: Money | None = None,
    max_price: Money | None = None,
    in_stock=False,
    sort=DEFAULT_MODULE_SORT,
    queryset=None,
) -> QuerySet:
    """The catalog list, filtered as the shopper asked, priced in `market`. Every other
    argument is optional; price bounds must be in the market's currency."""
    modules = modules_on_sale() if queryset is None else queryset
    if generations:
        modules = modules.filter(generation__in=generations)
    if form_factors:
        modules = modules.filter(form_factor__in=form_factors)
    if capacity_gb:
        modules = modules.filter(total_gb=capacity_gb)
    if min_speed_mts:
        modules = modules.filter(speed_mts__gte=min_speed_mts)
    if ecc is not None:
        modules = modules.filter(ecc=ecc)
    if min_price is not None:
        modules = modules.filter(**{f"{market.price_field}__gte": _in(min_price, market)})
    if max_price is not None:
        modules = modules.filter(**{f"{market.price_field}__lte": _in(max_price, market)})
    if in_stock:
        modules = modules.filter(stock__gt=0)
    return modules.order_by(*module_ordering(sort, market=market))


def _in(amount: Money, market: Market) -> int:
    """The minor units of a price bound, which must be in the market's currency."""
    if amount.currency != market.currency:
        raise CurrencyMismatch(f"{amount.currency} bound on the {market.code} price list")
    return amount.minor


def module_id_for_part_number(part_number: str) -> int | None:
    """The id of the module with this part number (any letter case), or None."""
    matches = Module.objects.filter(part_number__iexact=part_number.strip())
    return matches.values_list("pk", flat=True).first()


def module_for_page(*, slug: str) -> Module | None:
    return modules_on_sale().filter(slug=slug).first()


def catalog_is_demo() -> bool:
    """True while any demo module (load_demo_catalog) is on sale, however many real
    ones were imported beside it: the banner then says prices and stock are demo."""
    return Module.objects.filter(is_demo=True, is_active=True).exists()


def manufacturers_with_systems() -> QuerySet:
    return (
        Manufacturer.objects.annotate(system_count=Count("systems"))
        .filter(system_count__gt=0)
        .order_by("name")
    )


def systems_matching(*, manufacturer: Manufacturer | None = None, query: str = "") -> QuerySet:
    """Systems for the memory finder: of one manufacturer, whose name holds every word
    of `query` (see system_names.py: indexed on PostgreSQL)."""
    systems = System.objects.select_related("manufacturer")
    if manufacturer is not None:
        systems = systems.filter(manufacturer=manufacturer)
    systems = systems_with_words(systems, search_terms(query))
    return systems.order_by("manufacturer__name", "model_line", "model")


def system_for_page(*, slug: str) -> System | None:
    return System.objects.select_related("manufacturer").filter(slug=slug).first()


def search_terms(query: str, *, fillers=frozenset()) -> list[str]:
    """Words of a shopper's search, bounded: at most SEARCH_MAX_TERMS words from the
    first SEARCH_MAX_LENGTH characters, without control characters, brackets and commas,
    leaving out `fillers` (lower-case words that say nothing on their own)."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in (query or "")[:SEARCH_MAX_LENGTH])
    words = (word.strip("(),") for word in cleaned.split())
    return [word for word in words if word and word.lower() not in fillers][:SEARCH_MAX_TERMS]


# A module's name, as the shop shows it, finds the module: "Crucial 32 GB (2 x 16 GB)
# DDR4-3200 SO-DIMM". Each word must match one of these.
MODULE_NAME_FILLERS = frozenset({"gb", "go", "x", "mt/s", "mhz", "kit", "module", "memory"})
CAPACITY_TERM = re.compile(r"^(\d{1,4})\s*(?:g[bo]?)?$", re.IGNORECASE)
NUMBER_TERM = re.compile(r"^\d{1,5}$")
GENERATION_SPEED_TERM = re.compile(r"^(DDR\dL?)-(\d{3,5})$", re.IGNORECASE)


def _module_term_match(term):
    match = (
        Q(part_number__icontains=term)
        | Q(brand__icontains=term)
        | Q(generation__iexact=term)
        | Q(form_factor__iexact=term.replace("-", ""))
    )
    if capacity := CAPACITY_TERM.match(term):
        gigabytes = int(capacity.group(1))
        match |= Q(capacity_gb=gigabytes) | Q(total_gb=gigabytes)
    if NUMBER_TERM.match(term):
        number = int(term)
        match |= Q(kit_size=number) | Q(speed_mts=number)
    if generation_speed := GENERATION_SPEED_TERM.match(term):
        generation, speed = generation_speed.groups()
        match |= Q(generation__iexact=generation, speed_mts=int(speed))
    return match


def modules_searched(*, query: str, market: Market) -> QuerySet:
    """Modules on sale matching every word: part number, brand, generation, form factor,
    a capacity (16GB, 16), a speed (3200, DDR4-3200), or the module's whole name."""
    terms = search_terms(query, fillers=MODULE_NAME_FILLERS)
    if not terms:
        return Module.objects.none()
    modules = modules_on_sale()
    for term in terms:
        modules = modules.filter(_module_term_match(term))
    return modules.order_by(market.price_field, "pk")


def systems_searched(*, query: str) -> QuerySet:
    if not search_terms(query):
        return System.objects.none()
    return systems_matching(query=query)


def system_suggestions(*, query: str, manufacturer: Manufacturer | None = None) -> list[dict]:
    """At most SUGGESTION_LIMIT systems for the finder's type-ahead, as plain dicts."""
    terms = search_terms(query)
    if not terms:
        return []
    systems = System.objects.select_related("manufacturer")
    if manufacturer is not None:
        systems = systems.filter(manufacturer=manufacturer)
    systems = systems_suggested(systems, terms)
    return [{"label": str(system), "url": system.get_absolute_url()} for system in systems]


class PathStock:
    """Whether we can sell an upgrade path today."""

    IN_STOCK = "in-stock"  # a module of that size that fits is in stock
    OUT_OF_STOCK = "out-of-stock"  # we list one that fits, none in stock
    UNCONFIRMED = "unconfirmed"  # modules of that size and generation are in stock, but
    # the source does not state the module type, so none is proven to fit
    NOT_SOLD = "not-sold"


@dataclass(frozen=True)
class UpgradePath:
    count: int
    capacity_gb: int
    total_gb: int  # the system's memory after the upgrade, soldered memory included
    is_maximum: bool
    stock: str  # a PathStock value

    @property
    def in_catalog(self):
        """A module of that size that fits is in stock."""
        return self.stock == PathStock.IN_STOCK


@dataclass(frozen=True)
class UpgradeAdvice:
    takes_upgrade: bool
    slots: int
    soldered_gb: int | None  # None: depends on the configuration bought
    max_per_slot_gb: int | None  # None: not stated by the source
    per_slot_proven_gb: int  # what we offer per slot: stated, or the total shared out
    max_total_gb: int
    maximum_gb: int  # the most memory the system can have
    paths: list


def _sizes_by_stock(system, compatible):
    """{capacity: PathStock} for the sizes we list: fitting and in stock first."""
    sizes = {}
    rows = compatible.order_by().values_list("capacity_gb", "stock").distinct()
    for capacity, stock in rows:
        if stock > 0 or sizes.get(capacity) != PathStock.IN_STOCK:
            sizes[capacity] = PathStock.IN_STOCK if stock > 0 else PathStock.OUT_OF_STOCK
    if system.slots and not system.form_factor_list:
        unproven = modules_on_sale().filter(generation__in=system.generation_list, stock__gt=0)
        for capacity in unproven.order_by().values_list("capacity_gb", flat=True).distinct():
            sizes.setdefault(capacity, PathStock.UNCONFIRMED)
    return sizes


def upgrade_advice_for(system: System, *, compatible: QuerySet | None = None) -> UpgradeAdvice:
    """How far the system can be upgraded and the best ways there: every slot filled
    with modules of one size, largest first, each saying whether we have it in stock.
    Two queries at most."""
    upgradeable = _upgradeable_gb(system)
    per_slot = per_slot_proven_gb(system)
    soldered = system.soldered_gb or 0
    takes_upgrade = system.slots > 0 and per_slot > 0 and upgradeable > 0
    reachable = min(system.slots * per_slot, upgradeable) if takes_upgrade else 0
    paths = []
    if takes_upgrade:
        compatible = modules_compatible_with(system) if compatible is None else compatible
        stock = _sizes_by_stock(system, compatible)
        made = DDR5_CAPACITIES_GB if "DDR5" in system.generation_list else STANDARD_CAPACITIES_GB
        sizes = [size for size in made if size <= per_slot and size * system.slots <= upgradeable]
        for size in sorted(sizes, reverse=True)[:3]:
            added = size * system.slots
            paths.append(
                UpgradePath(
                    count=system.slots,
                    capacity_gb=size,
                    total_gb=soldered + added,
                    is_maximum=added == reachable,
                    stock=stock.get(size, PathStock.NOT_SOLD),
                )
            )
    return UpgradeAdvice(
        takes_upgrade=takes_upgrade,
        slots=system.slots,
        soldered_gb=system.soldered_gb,
        max_per_slot_gb=system.max_per_slot_gb,
        per_slot_proven_gb=per_slot,
        max_total_gb=system.max_total_gb,
        maximum_gb=soldered + reachable,
        paths=paths,
    )
