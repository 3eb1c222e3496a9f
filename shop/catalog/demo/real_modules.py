"""Real memory modules, each with the page its facts were read on.

real_modules.csv beside this file lists modules of real makers (Crucial, Kingston,
Samsung, Micron...) whose part number, capacity, generation, speed, CAS latency,
voltage, form factor, ECC, registered and ranks were all read on the page in its
source_url column (a short excerpt of what the page says is kept beside it). Nothing
in it is guessed: a module whose page did not state one of those facts is not listed.

The demo catalog sells these part numbers at demo prices and stock; every other demo
module comes from a made-up maker whose name says "(demo)" (see ranges.py).
"""

import csv
from pathlib import Path

REAL_MODULES_FILE = Path(__file__).with_name("real_modules.csv")
YES_NO = {"yes": True, "no": False}


def real_module_rows() -> list[dict]:
    with REAL_MODULES_FILE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def module_facts(row: dict) -> dict:
    """The Module fields a row of real_modules.csv gives, exactly."""
    return {
        "part_number": row["part_number"],
        "brand": row["manufacturer"],
        "generation": row["generation"],
        "form_factor": row["form_factor"],
        "capacity_gb": int(row["capacity_gb"]),
        "kit_size": int(row["kit_size"]),
        "speed_mts": int(row["speed_mts"]),
        "cas_latency": int(row["cas_latency"]),
        "voltage_mv": int(row["voltage_mv"]),
        "ecc": YES_NO[row["ecc"]],
        "registered": YES_NO[row["registered"]],
        "ranks": int(row["ranks"]) if row["ranks"].strip() else None,
    }
