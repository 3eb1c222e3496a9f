"""Retention benchmark: wall time and peak memory of `manage.py retention --apply` for
N customers whose data is past retention, for two sizes, and the ratios between them.

    .venv/bin/python bench/retention.py [--sizes 10000 100000] [--database-url postgres://...]

For each size, a fresh database is built (SQLite in a temporary directory; with
``--database-url``, PostgreSQL too, in a new database named ``<name>_bench_retention``
created next to the given one and dropped afterwards) and seeded with bulk inserts:

- N customers who closed their account, each with one order (one line, one payment, one
  history row) whose legal hold ended yesterday;
- one security-log event per customer, 13 months old;
- N / 10 sign-ups whose e-mail address was never confirmed, 60 days old.

Then ``retention --apply`` runs in a subprocess (after an untimed dry run as a
warm-up); its wall time and peak resident memory
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``, measured by a small timing process that
does not load Django, so that neither seeding nor the parent's pages count) are
reported. Targets: time ratio (large / small) <= 11 for ten times the data, memory
ratio < 1.5 (batches keep memory flat).
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZES = (10_000, 100_000)
CHUNK = 5_000
TIME_TARGET = 11
MEMORY_TARGET = 1.5


def _chunks(total: int):
    for start in range(0, total, CHUNK):
        yield range(start, min(start + CHUNK, total))


def seed(customers: int) -> None:
    """Bulk-insert the data described in the module docstring (Django is set up)."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from bench.in_process import bench_module
    from privacy.models import SecurityEvent, User
    from shop.models import Order, OrderLine, Payment

    now = timezone.now()
    module = bench_module("BENCH-RET")
    yesterday = timezone.localdate(now) - datetime.timedelta(days=1)
    for chunk in _chunks(customers):
        orders = bulk_create_with_history(
            [
                Order(
                    number=f"OT-R-{i:07d}",
                    user=None,
                    legal_hold_until=yesterday,
                    status="delivered",
                    subtotal_pence=3999,
                    delivery_pence=0,
                    total_pence=3999,
                    delivery_option="standard",
                    delivery_name=f"Customer {i}",
                    delivery_line1=f"{i} High Street",
                    delivery_city="London",
                    delivery_postcode="SW1Y 4JH",
                    delivery_country="GB",
                    delivery_phone="+447700900000",
                    tracking_number=f"JD{i:012d}",
                )
                for i in chunk
            ],
            Order,
            batch_size=CHUNK,
        )
        if not orders[0].pk:  # SQLite before returning ids: fetch them
            orders = list(Order.objects.filter(number__in=[o.number for o in orders]))
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                module=module,
                part_number=module.part_number,
                description="Crucial 16GB DDR4",
                unit_price_pence=3999,
                quantity=1,
                warranty_years=3,
            )
            for order in orders
        )
        Payment.objects.bulk_create(
            Payment(
                order=order,
                gateway="simulator",
                reference=f"sim_{order.number}",
                amount_pence=3999,
                status="succeeded",
                card_brand="visa",
                card_last4="4242",
            )
            for order in orders
        )
        SecurityEvent.objects.bulk_create(
            SecurityEvent(
                kind="login",
                ip_address="203.0.113.9",
                user_agent="Mozilla/5.0",
                created_at=now - datetime.timedelta(days=400),
            )
            for _ in chunk
        )
    for chunk in _chunks(customers // 10):
        User.objects.bulk_create(
            User(
                email=f"unverified-{i}@example.com",
                password="!",  # noqa: S106 - an unusable password, as set_unusable_password
                first_name="Never",
                last_name="Confirmed",
                date_joined=now - datetime.timedelta(days=60),
            )
            for i in chunk
        )


def seed_database(customers: int) -> float:
    """In its own process: migrate and seed; returns the seconds it took."""
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed(customers)
    return time.perf_counter() - started


def time_retention() -> dict:
    """In its own small process (no Django: a forked child starts with its parent's
    resident pages): time `retention --apply`, its only child besides an untimed dry
    run (warm-up: imports, bytecode, page cache), so RUSAGE_CHILDREN is its peak."""
    command = [sys.executable, "manage.py", "retention", "--json"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_QUERY_LOG": "off"}
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
    started = time.perf_counter()
    result = subprocess.run(
        [*command, "--apply"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return {
        "seconds": round(seconds, 2),
        "peak_mib": round(peak_kib / 1024, 1),
        "totals": json.loads(result.stdout)["totals"],
    }


def _postgres_database(url: str, size: int):
    """A new, empty database next to ``url``'s (created; dropped by the caller)."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'offtek'}_bench_retention_{size}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin, name


def _postgres_drop(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def measure(size: int, database_url: str | None) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "offtek.settings", "DJANGO_DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    cleanup = None
    with tempfile.TemporaryDirectory(prefix="offtek-bench-retention-") as directory:
        if database_url:
            env["DATABASE_URL"], admin, name = _postgres_database(database_url, size)
            cleanup = (admin, name)
        else:
            env["DATABASE_URL"] = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        try:
            seeded = _step(["--seed", str(size)], env)
            timed = _step(["--time"], env)
        finally:
            if cleanup:
                _postgres_drop(*cleanup)
    return {"customers": size, "seed_seconds": round(seeded, 2), **timed}


def _step(arguments: list[str], env: dict):
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"Benchmark step {' '.join(arguments)} failed.")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(label: str, results: list[dict]) -> None:
    print(f"\n{label}")
    for row in results:
        rate = row["customers"] / row["seconds"] if row["seconds"] else float("inf")
        print(
            f"  {row['customers']:>7} customers: {row['seconds']:7.2f} s "
            f"({rate:,.0f} customers/s), peak {row['peak_mib']:.1f} MiB "
            f"(seeding {row['seed_seconds']:.1f} s; {row['totals']})"
        )
    if len(results) >= 2:
        small, large = results[0], results[-1]
        scale = large["customers"] / small["customers"]
        time_ratio = large["seconds"] / small["seconds"]
        memory_ratio = large["peak_mib"] / small["peak_mib"]
        print(
            f"  time ratio {time_ratio:.2f} for {scale:g}x the data "
            f"(target <= {TIME_TARGET * scale / 10:g}): "
            f"{'ok' if time_ratio <= TIME_TARGET * scale / 10 else 'MISSED'}"
        )
        print(
            f"  memory ratio {memory_ratio:.2f} (target < {MEMORY_TARGET}): "
            f"{'ok' if memory_ratio < MEMORY_TARGET else 'MISSED'}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--database-url", help="also run on this PostgreSQL server")
    parser.add_argument("--skip-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--time", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        print(json.dumps(seed_database(args.seed)))
        return
    if args.time:
        print(json.dumps(time_retention()))
        return
    sizes = sorted(args.sizes)
    if not args.skip_sqlite:
        report("SQLite", [measure(size, None) for size in sizes])
    if args.database_url:
        report("PostgreSQL", [measure(size, args.database_url) for size in sizes])


if __name__ == "__main__":
    main()
