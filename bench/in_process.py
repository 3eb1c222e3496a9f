"""What the in-process benchmarks (export, invoices, retention) share: Django set up
against a fresh database, and the one module their orders are made of.

"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup() -> None:
    """Development settings against a temporary SQLite database (or DATABASE_URL when
    it is set), migrated by another process: migrating loads every migration, which
    would count in this process's peak memory and time."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "offtek.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    if "DATABASE_URL" not in os.environ:
        path = Path(tempfile.mkdtemp(prefix="offtek-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True)
    django.setup()


def bench_module(part_number: str, **fields):
    """A 16 GB DDR4 SO-DIMM with plenty of stock; ``fields`` override its prices."""
    from shop.models import Module

    return Module.objects.create(
        **{
            "part_number": part_number,
            "slug": part_number.lower(),
            "brand": "Crucial",
            "generation": "DDR4",
            "form_factor": "SODIMM",
            "capacity_gb": 16,
            "speed_mts": 3200,
            "cas_latency": 22,
            "voltage_mv": 1200,
            "price_pence": 3999,
            "price_eur_cents": 4699,
            "stock": 1_000_000,
            **fields,
        }
    )
