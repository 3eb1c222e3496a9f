"""The product ranges the demo catalog is built from, as data: memory platforms (what a
family of computers takes), the manufacturers' model lines that use them, and the module
families we sell for them."""

from dataclasses import dataclass

from shop.models import FormFactor, Generation, SystemKind


@dataclass(frozen=True)
class Platform:
    """The memory specification shared by a family of computers."""

    generations: str
    form_factor: str
    slots: int
    max_per_slot_gb: int
    max_total_gb: int
    max_speed_mts: int
    soldered_gb: int = 0
    ecc: bool = False
    registered: bool = False


PLATFORMS = {
    "ddr3-laptop": Platform("DDR3,DDR3L", FormFactor.SODIMM, 2, 8, 16, 1600),
    "ddr3l-laptop": Platform("DDR3L", FormFactor.SODIMM, 2, 8, 16, 1600),
    "ddr4-laptop": Platform("DDR4", FormFactor.SODIMM, 2, 16, 32, 2400),
    "ddr4-laptop-32": Platform("DDR4", FormFactor.SODIMM, 2, 32, 64, 3200),
    "ddr4-laptop-half": Platform("DDR4", FormFactor.SODIMM, 1, 32, 40, 3200, soldered_gb=8),
    "ddr5-laptop": Platform("DDR5", FormFactor.SODIMM, 2, 32, 64, 5600),
    "ddr5-laptop-48": Platform("DDR5", FormFactor.SODIMM, 2, 48, 96, 5600),
    "soldered-8": Platform("DDR4", FormFactor.SODIMM, 0, 0, 8, 3200, soldered_gb=8),
    "soldered-16": Platform("DDR5", FormFactor.SODIMM, 0, 0, 16, 6400, soldered_gb=16),
    "ddr3-desktop": Platform("DDR3", FormFactor.DIMM, 4, 8, 32, 1600),
    "ddr4-desktop": Platform("DDR4", FormFactor.DIMM, 2, 32, 64, 2666),
    "ddr4-desktop-4": Platform("DDR4", FormFactor.DIMM, 4, 32, 128, 3200),
    "ddr5-desktop": Platform("DDR5", FormFactor.DIMM, 4, 48, 192, 5600),
    "ddr4-mini": Platform("DDR4", FormFactor.SODIMM, 2, 32, 64, 3200),
    "ddr4-imac": Platform("DDR4", FormFactor.SODIMM, 4, 32, 128, 2666),
    "ddr4-workstation": Platform("DDR4", FormFactor.DIMM, 4, 32, 128, 2933, ecc=True),
    "ddr5-workstation": Platform("DDR5", FormFactor.DIMM, 4, 48, 192, 4800, ecc=True),
    "ddr4-server": Platform(
        "DDR4", FormFactor.RDIMM, 16, 64, 1024, 2933, ecc=True, registered=True
    ),
    "ddr4-server-lr": Platform(
        "DDR4", FormFactor.LRDIMM, 24, 128, 3072, 3200, ecc=True, registered=True
    ),
    "ddr5-server": Platform(
        "DDR5", FormFactor.RDIMM, 16, 96, 1536, 4800, ecc=True, registered=True
    ),
}


@dataclass(frozen=True)
class ModelLine:
    manufacturer: str
    name: str
    kind: str
    platforms: tuple  # keys of PLATFORMS, oldest first
    prefix: str  # model names: prefix + number + suffix
    first_number: int
    step: int
    suffixes: tuple = ("",)
    family: str = ""  # the marketed name models start with; the line's first word if empty

    def model_name(self, number, suffix):
        """T430 in the ThinkPad T line is sold as "ThinkPad T430"."""
        model = f"{self.prefix}{number}{suffix}".strip()
        family = self.family or self.name.split()[0]
        return model if model.startswith(family) else f"{family} {model}"


L, D, M, S, W = (
    SystemKind.LAPTOP,
    SystemKind.DESKTOP,
    SystemKind.MINI,
    SystemKind.SERVER,
    SystemKind.WORKSTATION,
)
MODEL_LINES = [
    ModelLine(
        "Lenovo",
        "ThinkPad T",
        L,
        ("ddr3-laptop", "ddr4-laptop", "ddr4-laptop-half", "ddr5-laptop"),
        "T",
        430,
        10,
        ("", "s", "p"),
    ),
    ModelLine(
        "Lenovo",
        "ThinkPad X",
        L,
        ("ddr3l-laptop", "ddr4-laptop", "soldered-16"),
        "X",
        230,
        10,
        ("", " Carbon", " Yoga"),
    ),
    ModelLine(
        "Lenovo",
        "ThinkCentre M",
        D,
        ("ddr3-desktop", "ddr4-desktop", "ddr5-desktop"),
        "M",
        710,
        10,
        ("q Tiny", "s SFF", "t Tower"),
    ),
    ModelLine(
        "Lenovo", "ThinkStation P", W, ("ddr4-workstation", "ddr5-workstation"), "P", 330, 10
    ),
    ModelLine("Lenovo", "ThinkSystem SR", S, ("ddr4-server", "ddr5-server"), "SR", 530, 20),
    ModelLine(
        "Lenovo",
        "IdeaPad",
        L,
        ("ddr4-laptop", "soldered-8"),
        "IdeaPad ",
        3,
        1,
        (" 14IIL05", " 15ALC6", " 14ARE05"),
    ),
    ModelLine(
        "Dell",
        "Latitude 5000",
        L,
        ("ddr3l-laptop", "ddr4-laptop", "ddr4-laptop-32", "ddr5-laptop"),
        "",
        5480,
        10,
        ("", "-2in1"),
    ),
    ModelLine("Dell", "Latitude 7000", L, ("ddr4-laptop-32", "soldered-16"), "", 7480, 10),
    ModelLine(
        "Dell",
        "OptiPlex",
        D,
        ("ddr3-desktop", "ddr4-desktop", "ddr5-desktop"),
        "",
        3020,
        10,
        (" Micro", " SFF", " Tower"),
    ),
    ModelLine("Dell", "Precision", W, ("ddr4-workstation", "ddr5-workstation"), "", 3630, 10),
    ModelLine(
        "Dell", "PowerEdge", S, ("ddr4-server", "ddr4-server-lr", "ddr5-server"), "R", 640, 10
    ),
    ModelLine("Dell", "XPS", L, ("soldered-8", "soldered-16"), "XPS ", 13, 2, (" 9310", " 9320")),
    ModelLine(
        "HP",
        "EliteBook 800",
        L,
        ("ddr4-laptop", "ddr4-laptop-32", "ddr5-laptop"),
        "",
        840,
        10,
        (" G5", " G6", " G7", " G8"),
    ),
    ModelLine(
        "HP", "ProBook 400", L, ("ddr3l-laptop", "ddr4-laptop"), "", 440, 10, (" G5", " G6", " G7")
    ),
    ModelLine(
        "HP",
        "EliteDesk 800",
        D,
        ("ddr4-desktop", "ddr4-mini", "ddr5-desktop"),
        "",
        800,
        1,
        (" G4 SFF", " G5 Mini", " G6 Tower"),
    ),
    ModelLine(
        "HP", "ProLiant DL", S, ("ddr4-server", "ddr5-server"), "DL", 360, 20, (" Gen10", " Gen11")
    ),
    ModelLine(
        "HP",
        "Z Workstation",
        W,
        ("ddr4-workstation", "ddr5-workstation"),
        "Z",
        2,
        2,
        (" G4", " G5"),
    ),
    ModelLine(
        "Apple",
        "MacBook Air",
        L,
        ("soldered-8", "soldered-16"),
        "MacBook Air ",
        2018,
        1,
        (" 13-inch", " 15-inch"),
    ),
    ModelLine("Apple", "iMac", D, ("ddr3-laptop", "ddr4-imac"), "iMac 27-inch ", 2013, 1),
    ModelLine(
        "Apple", "Mac mini", M, ("ddr3l-laptop", "ddr4-mini", "soldered-16"), "Mac mini ", 2012, 1
    ),
    ModelLine(
        "ASUS", "VivoBook", L, ("ddr4-laptop-half", "ddr4-laptop"), "X", 512, 3, ("DA", "FA", "JA")
    ),
    ModelLine(
        "ASUS",
        "ROG Strix",
        L,
        ("ddr4-laptop-32", "ddr5-laptop-48"),
        "G",
        512,
        1,
        ("LV", "LI", "JY"),
        family="ROG Strix",
    ),
    ModelLine("ASUS", "ZenBook", L, ("soldered-8", "soldered-16"), "UX", 325, 10, ("EA", "FA")),
    ModelLine(
        "ASUS", "ExpertBook", L, ("ddr4-laptop-half", "ddr5-laptop"), "B", 9400, 50, ("CEA", "CBA")
    ),
    ModelLine(
        "Acer", "Aspire", L, ("ddr4-laptop", "ddr4-laptop-half"), "A", 515, 2, ("-54", "-56", "-57")
    ),
    ModelLine(
        "Acer", "TravelMate", L, ("ddr4-laptop-32", "ddr5-laptop"), "P", 214, 1, ("-53", "-54")
    ),
    ModelLine("Acer", "Swift", L, ("soldered-8", "soldered-16"), "SF", 314, 1, ("-42", "-43")),
    ModelLine("Acer", "Veriton", D, ("ddr4-desktop", "ddr5-desktop"), "M", 4660, 10, ("G",)),
    ModelLine(
        "Microsoft",
        "Surface Laptop",
        L,
        ("soldered-8", "soldered-16"),
        "Surface Laptop ",
        3,
        1,
        ("", " Studio"),
    ),
    ModelLine(
        "Microsoft",
        "Surface Pro",
        L,
        ("soldered-8", "soldered-16"),
        "Surface Pro ",
        7,
        1,
        ("", "+"),
    ),
    ModelLine(
        "Supermicro",
        "SuperServer",
        S,
        ("ddr4-server", "ddr4-server-lr", "ddr5-server"),
        "SYS-",
        1029,
        10,
        ("P-WTR", "U-TR4", "GP-TR"),
    ),
    ModelLine(
        "Supermicro",
        "SuperWorkstation",
        W,
        ("ddr4-workstation", "ddr5-workstation"),
        "SYS-",
        5039,
        10,
        ("A-I", "C-I"),
    ),
    ModelLine(
        "Fujitsu", "LIFEBOOK", L, ("ddr3-laptop", "ddr4-laptop", "ddr4-laptop-32"), "E", 544, 10
    ),
    ModelLine("Fujitsu", "ESPRIMO", D, ("ddr3-desktop", "ddr4-desktop"), "P", 757, 1),
    ModelLine(
        "Fujitsu",
        "PRIMERGY",
        S,
        ("ddr4-server", "ddr5-server"),
        "RX",
        2530,
        10,
        (" M5", " M6", " M7"),
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


CONSUMER = ("Crucial", "Kingston", "Samsung", "SK hynix", "Corsair")
OEM = ("Crucial", "Kingston", "Samsung", "SK hynix")
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

PART_PREFIXES = {
    "Crucial": "CT",
    "Kingston": "KVR",
    "Samsung": "M4",
    "SK hynix": "HMA",
    "Corsair": "CM",
}
FORM_FACTOR_CODES = {"DIMM": "U", "SODIMM": "S", "RDIMM": "R", "LRDIMM": "L"}
LIFETIME_BRANDS = {"Crucial", "Kingston", "Corsair"}
