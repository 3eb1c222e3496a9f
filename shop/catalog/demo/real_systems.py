"""Real computers and the memory they take, each with the page its facts come from.

real_systems.csv beside this file holds the facts of /work/shared/hardware/systems.csv
(the research notes of the shop, where each row was checked against its source), less
the quoted excerpts, plus columns of our own: the model line a machine is listed under
in the finder, its kind (laptop, desktop...), and three facts read in the research
file's quoted excerpt: the most ranks a module may have ("single-sided or
double-sided" is 2), the highest module voltage (a DDR3L-only machine takes 1.35 V
modules, "1.2 V DDR4" means 1200) and a processor condition on ECC. An empty cell means
the source does not say; it is never read as zero or "any".

The demo catalog gives a real model name only these facts (see services.py).
"""

import csv
from pathlib import Path

from django.utils.text import slugify

from shop.models import EccSupport, FormFactor

REAL_SYSTEMS_FILE = Path(__file__).with_name("real_systems.csv")
# The columns that come from the research file, unchanged.
FACT_COLUMNS = (
    "manufacturer",
    "model",
    "year",
    "memory_generation",
    "form_factor",
    "slots",
    "soldered_gb",
    "max_total_gb",
    "max_per_slot_gb",
    "speeds_mts",
    "ecc",
    "upgradeable",
    "source_url",
    "second_source_url",
)
# The research file's form factor names, in the catalog's codes ("soldered" is no
# module form factor: such a system has no slot).
FORM_FACTOR_CODES = {
    "SO-DIMM": FormFactor.SODIMM,
    "DIMM": FormFactor.DIMM,
    "RDIMM": FormFactor.RDIMM,
    "LRDIMM": FormFactor.LRDIMM,
    "soldered": None,
}
REGISTERED_FORM_FACTORS = {FormFactor.RDIMM, FormFactor.LRDIMM}


def real_system_rows() -> list[dict]:
    with REAL_SYSTEMS_FILE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _number(text):
    return int(text) if text.strip() else None


def _listed(text):
    return [item.strip() for item in text.split(";") if item.strip()]


def ecc_support(row: dict, *, registered: bool) -> str:
    """ECC as the source states it: "yes" means ECC modules only, "optional" either kind.
    Registered modules all carry ECC, so a machine taking only those needs ECC too. Not
    stated: non-ECC only (a non-ECC machine is the common case; ECC is never assumed)."""
    if row["ecc"] == "yes" or registered:
        return EccSupport.REQUIRED
    if row["ecc"] == "optional":
        return EccSupport.OPTIONAL
    return EccSupport.NONE


def system_facts(row: dict) -> dict:
    """The System fields a row of real_systems.csv gives, exactly (nothing guessed)."""
    form_factors = [FORM_FACTOR_CODES[name] for name in _listed(row["form_factor"])]
    form_factors = [code for code in form_factors if code]
    speeds = [int(speed) for speed in row["speeds_mts"].split(",") if speed.strip()]
    registered = any(code in REGISTERED_FORM_FACTORS for code in form_factors)
    only_registered = bool(form_factors) and all(
        code in REGISTERED_FORM_FACTORS for code in form_factors
    )
    return {
        "model_line": row["model_line"],
        "model": row["model"],
        "slug": slugify(f"{row['manufacturer']} {row['model']}")[:150],
        "kind": row["kind"],
        "year": _number(row["year"]),
        "slots": int(row["slots"]),
        "soldered_gb": _number(row["soldered_gb"]),
        "max_per_slot_gb": _number(row["max_per_slot_gb"]),
        "max_total_gb": int(row["max_total_gb"]),
        "generations": ",".join(_listed(row["memory_generation"])),
        "form_factor": ",".join(form_factors),
        "max_speed_mts": max(speeds) if speeds else None,
        "ecc_support": ecc_support(row, registered=only_registered),
        "ecc_condition": row["ecc_condition"],
        "max_ranks": _number(row["max_ranks"]),
        "max_module_voltage_mv": _number(row["max_module_voltage_mv"]),
        "supports_registered": registered,
        "source_url": row["source_url"],
    }
