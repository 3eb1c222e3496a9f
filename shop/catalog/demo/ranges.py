"""The product ranges the demo catalog is built from, as data: memory platforms (what a
family of computers takes), made-up makers' model lines that use them, and the module
families we sell for them."""

from dataclasses import dataclass

from shop.models import FormFactor, Generation, SystemKind


@dataclass(frozen=True)
class Platform:
    """The memory specification shared by a family of made-up computers, and the years
    such computers were sold (within the history in generations.py)."""

    generations: str
    form_factor: str
    slots: int
    max_per_slot_gb: int | None
    max_total_gb: int
    max_speed_mts: int
    years: tuple  # (first, last)
    soldered_gb: int = 0
    ecc: str = "none"  # EccSupport: "required", "optional" or "none"
    registered: bool = False
    max_module_voltage_mv: int | None = None


SO, DIMM, RDIMM, LRDIMM = FormFactor.SODIMM, FormFactor.DIMM, FormFactor.RDIMM, FormFactor.LRDIMM
PLATFORMS = {
    "ddr3-laptop": Platform("DDR3,DDR3L", SO, 2, 8, 16, 1600, (2013, 2015)),
    "ddr3l-laptop": Platform("DDR3L", SO, 2, 8, 16, 1600, (2013, 2016), max_module_voltage_mv=1350),
    "ddr4-laptop": Platform("DDR4", SO, 2, 16, 32, 2400, (2015, 2019)),
    "ddr4-laptop-32": Platform("DDR4", SO, 2, 32, 64, 3200, (2019, 2023)),
    "ddr4-laptop-half": Platform("DDR4", SO, 1, 32, 40, 3200, (2019, 2022), soldered_gb=8),
    "ddr5-laptop": Platform("DDR5", SO, 2, 32, 64, 5600, (2022, 2025)),
    "ddr5-laptop-48": Platform("DDR5", SO, 2, 48, 96, 5600, (2023, 2025)),
    "soldered-8": Platform("LPDDR4X", "", 0, None, 8, 4266, (2019, 2022), soldered_gb=8),
    "soldered-16": Platform("LPDDR5", "", 0, None, 16, 6400, (2022, 2025), soldered_gb=16),
    "ddr3-desktop": Platform("DDR3", DIMM, 4, 8, 32, 1600, (2010, 2015)),
    "ddr4-desktop": Platform("DDR4", DIMM, 2, 32, 64, 2666, (2017, 2021)),
    "ddr4-desktop-4": Platform("DDR4", DIMM, 4, 32, 128, 3200, (2019, 2022)),
    "ddr5-desktop": Platform("DDR5", DIMM, 4, 48, 192, 5600, (2022, 2025)),
    "ddr4-mini": Platform("DDR4", SO, 2, 32, 64, 3200, (2019, 2022)),
    "ddr4-workstation": Platform("DDR4", DIMM, 4, 32, 128, 2933, (2017, 2021), ecc="optional"),
    "ddr5-workstation": Platform("DDR5", DIMM, 4, 48, 192, 4800, (2022, 2025), ecc="optional"),
    "ddr4-server": Platform(
        "DDR4", RDIMM, 16, 64, 1024, 2933, (2017, 2021), ecc="required", registered=True
    ),
    "ddr4-server-lr": Platform(
        "DDR4", LRDIMM, 24, 128, 3072, 3200, (2019, 2022), ecc="required", registered=True
    ),
    "ddr5-server": Platform(
        "DDR5", RDIMM, 16, 96, 1536, 4800, (2023, 2025), ecc="required", registered=True
    ),
}


@dataclass(frozen=True)
class ModelLine:
    """A made-up maker's line of computers. The makers' names say "(demo)": no real
    maker's name is ever given made-up specifications (real ones come from
    real_systems.csv)."""

    manufacturer: str
    name: str
    kind: str
    platforms: tuple  # keys of PLATFORMS, oldest first
    first_number: int
    step: int
    suffixes: tuple = ("",)

    def model_name(self, number, suffix):
        """Number 140 in the Roadbook line is sold as "Roadbook 140"."""
        return f"{self.name} {number}{suffix}"


DEMO_MARK = "(demo)"
L, D, M, S, W = (
    SystemKind.LAPTOP,
    SystemKind.DESKTOP,
    SystemKind.MINI,
    SystemKind.SERVER,
    SystemKind.WORKSTATION,
)
ACME, GLOBEX, INITECH, NORTHWIND, VANDELAY = (
    f"{name} {DEMO_MARK}" for name in ("Acme", "Globex", "Initech", "Northwind", "Vandelay")
)
MODEL_LINES = [
    ModelLine(
        ACME,
        "Roadbook",
        L,
        ("ddr3-laptop", "ddr4-laptop", "ddr4-laptop-half", "ddr5-laptop"),
        140,
        10,
        ("", " Pro", " Plus"),
    ),
    ModelLine(ACME, "Deskmate", D, ("ddr3-desktop", "ddr4-desktop", "ddr5-desktop"), 300, 10),
    ModelLine(ACME, "Rackline", S, ("ddr4-server", "ddr5-server"), 500, 20, ("", " LFF")),
    ModelLine(GLOBEX, "Featherbook", L, ("soldered-8", "soldered-16"), 13, 1, ("", " Air")),
    ModelLine(GLOBEX, "Workmate", W, ("ddr4-workstation", "ddr5-workstation"), 700, 10),
    ModelLine(GLOBEX, "Cube", M, ("ddr4-mini",), 10, 1, ("", " Tiny")),
    ModelLine(
        INITECH,
        "Officebook",
        L,
        ("ddr3l-laptop", "ddr4-laptop", "ddr4-laptop-32"),
        400,
        10,
        ("", " G2", " G3"),
    ),
    ModelLine(INITECH, "Tower", D, ("ddr3-desktop", "ddr4-desktop-4", "ddr5-desktop"), 600, 10),
    ModelLine(INITECH, "Compute", S, ("ddr4-server-lr", "ddr5-server"), 2100, 100, ("", " M2")),
    ModelLine(NORTHWIND, "Gamebook", L, ("ddr4-laptop-32", "ddr5-laptop-48"), 15, 1, ("", " X")),
    ModelLine(NORTHWIND, "Studio", W, ("ddr4-workstation", "ddr5-workstation"), 5, 1),
    ModelLine(NORTHWIND, "Pocket", M, ("ddr4-mini",), 1, 1, (" Mini",)),
    ModelLine(VANDELAY, "Slate", L, ("soldered-8", "soldered-16"), 11, 1, ("", " Pro")),
    ModelLine(VANDELAY, "Desk", D, ("ddr4-desktop", "ddr5-desktop"), 20, 1, (" SFF", " Tower")),
    ModelLine(
        VANDELAY, "Node", S, ("ddr4-server", "ddr4-server-lr", "ddr5-server"), 1, 1, ("U", "U+")
    ),
]


@dataclass(frozen=True)
class ModuleFamily:
    """A kind of module we sell: generation, form factor and the options it comes in."""

    generation: str
    form_factor: str
    capacities_gb: tuple
    speeds: tuple  # (MT/s, CAS latency)
    voltage_mv: int
    kit_sizes: tuple
    brands: tuple
    pence_per_gb: int
    ecc: bool = False
    registered: bool = False


# Module makers of the demo catalog: made up, their names say "(demo)" (real makers'
# modules come only from real_modules.csv, with facts read on their pages).
MNEMO, BITWELL, RAMPART, CORELANE, DIMMWORKS = (
    f"{name} {DEMO_MARK}" for name in ("Mnemo", "Bitwell", "Rampart", "Corelane", "Dimmworks")
)
CONSUMER = (MNEMO, BITWELL, RAMPART, CORELANE, DIMMWORKS)
OEM = (MNEMO, BITWELL, RAMPART, CORELANE)
MODULE_FAMILIES = [
    ModuleFamily(
        Generation.DDR3,
        FormFactor.SODIMM,
        (2, 4, 8),
        ((1333, 9), (1600, 11)),
        1500,
        (1, 2),
        CONSUMER,
        450,
    ),
    ModuleFamily(
        Generation.DDR3L,
        FormFactor.SODIMM,
        (4, 8),
        ((1600, 11), (1866, 13)),
        1350,
        (1, 2),
        CONSUMER,
        450,
    ),
    ModuleFamily(
        Generation.DDR3,
        FormFactor.DIMM,
        (4, 8),
        ((1600, 11), (1866, 13)),
        1500,
        (1, 2, 4),
        CONSUMER,
        400,
    ),
    ModuleFamily(
        Generation.DDR3,
        FormFactor.DIMM,
        (4, 8),
        ((1333, 9), (1600, 11)),
        1500,
        (1, 2, 4),
        OEM,
        450,
        ecc=True,
    ),
    ModuleFamily(
        Generation.DDR4,
        FormFactor.SODIMM,
        (4, 8, 16, 32),
        ((2400, 17), (2666, 19), (3200, 22)),
        1200,
        (1, 2),
        CONSUMER,
        260,
    ),
    ModuleFamily(
        Generation.DDR4,
        FormFactor.DIMM,
        (8, 16, 32),
        ((2666, 19), (3200, 16), (3600, 18)),
        1200,
        (1, 2, 4),
        CONSUMER,
        240,
    ),
    ModuleFamily(
        Generation.DDR4,
        FormFactor.DIMM,
        (8, 16, 32),
        ((2666, 19), (3200, 22)),
        1200,
        (1, 2),
        OEM,
        330,
        ecc=True,
    ),
    ModuleFamily(
        Generation.DDR4,
        FormFactor.RDIMM,
        (16, 32, 64),
        ((2666, 19), (2933, 21), (3200, 22)),
        1200,
        (1, 2, 4),
        OEM,
        320,
        ecc=True,
        registered=True,
    ),
    ModuleFamily(
        Generation.DDR4,
        FormFactor.LRDIMM,
        (64, 128),
        ((2666, 19), (3200, 22)),
        1200,
        (1, 4),
        OEM,
        380,
        ecc=True,
        registered=True,
    ),
    ModuleFamily(
        Generation.DDR5,
        FormFactor.SODIMM,
        (8, 16, 32, 48),
        ((4800, 40), (5600, 46)),
        1100,
        (1, 2),
        CONSUMER,
        320,
    ),
    ModuleFamily(
        Generation.DDR5,
        FormFactor.DIMM,
        (16, 32, 48),
        ((4800, 40), (5600, 36), (6000, 30)),
        1100,
        (1, 2),
        CONSUMER,
        300,
    ),
    ModuleFamily(
        Generation.DDR5,
        FormFactor.DIMM,
        (16, 32, 48),
        ((4800, 40), (5600, 46)),
        1100,
        (1, 2),
        OEM,
        390,
        ecc=True,
    ),
    ModuleFamily(
        Generation.DDR5,
        FormFactor.RDIMM,
        (32, 64, 96),
        ((4800, 40), (5600, 46)),
        1100,
        (1, 2, 4),
        OEM,
        420,
        ecc=True,
        registered=True,
    ),
]

# A made-up part number starts with DEMO-, so no real part number is ever imitated.
PART_PREFIXES = {
    MNEMO: "DEMO-MN",
    BITWELL: "DEMO-BW",
    RAMPART: "DEMO-RP",
    CORELANE: "DEMO-CL",
    DIMMWORKS: "DEMO-DW",
}
# The overclocking maker: its fast DDR5 kits run at 1.35 V.
OVERCLOCKING_BRAND = DIMMWORKS
FORM_FACTOR_CODES = {"DIMM": "U", "SODIMM": "S", "RDIMM": "R", "LRDIMM": "L"}
LIFETIME_BRANDS = {MNEMO, BITWELL, DIMMWORKS}
