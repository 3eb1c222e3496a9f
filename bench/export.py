"""Time to export one customer's data (JSON, every declaration) with 10, 100 and 1,000
orders, and the ratios between them: the export should grow no worse than linearly and
stay under 2 s at 1,000 orders.

    .venv/bin/python bench/export.py [--repeat 5]

Runs in-process against a temporary SQLite database (DJANGO_DEBUG=true), or against
DATABASE_URL if it is set. Orders are bulk-created with two lines and a payment each.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from bench.in_process import bench_module, django_setup  # noqa: E402

SIZES = (10, 100, 1000)


def customer_with_orders(count: int, *, tag: str):
    from privacy.models import ConsentRecord, SecurityEvent, User
    from shop.models import Order, OrderLine, Payment

    user = User.objects.create_user(email=f"bench-{tag}@example.com", first_name="Ada")
    ConsentRecord.objects.create(
        user=user,
        purpose="marketing-email",
        granted=True,
        policy_version="2026-01",
        source="signup",
    )
    SecurityEvent.objects.create(kind="login", user=user, ip_address="203.0.113.9")
    module = bench_module(f"BENCH-{tag}")
    orders = Order.objects.bulk_create(
        Order(
            number=f"OT-B{tag}-{i:05d}",
            user=user,
            subtotal_pence=7998,
            delivery_pence=0,
            total_pence=7998,
            delivery_option="standard",
            delivery_name="Ada Lovelace",
            delivery_line1="12 St James's Square",
            delivery_city="London",
            delivery_postcode="SW1Y 4JH",
            delivery_country="GB",
        )
        for i in range(count)
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            module=module,
            part_number=module.part_number,
            description="16 GB DDR4",
            unit_price_pence=3999,
            quantity=1,
            warranty_years=years,
        )
        for order in orders
        for years in (3, None)
    )
    Payment.objects.bulk_create(
        Payment(
            order=order,
            gateway="simulator",
            reference=f"b{tag}-{order.number}",
            amount_pence=7998,
            status="succeeded",
            card_brand="visa",
        )
        for order in orders
    )
    return user


def time_export(user, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from privacy.rights.export import export_build, export_json

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            export_json(export_build(user=user))
        best = min(best, time.perf_counter() - start)
    return best, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="best of N runs per size")
    args = parser.parse_args()
    django_setup()
    from django.db import connection

    results = {}
    for size in SIZES:
        user = customer_with_orders(size, tag=str(size))
        results[size] = time_export(user, args.repeat)
    print(f"database: {connection.vendor}; best of {args.repeat} runs")
    for size, (seconds, queries) in results.items():
        print(f"{size:>5} orders: {seconds * 1000:8.1f} ms  {queries} queries")
    base = results[SIZES[0]][0]
    for size in SIZES[1:]:
        ratio = results[size][0] / base
        print(f"ratio {size}/{SIZES[0]} orders: {ratio:6.1f}x time for {size // SIZES[0]}x orders")
    slowest = results[SIZES[-1]][0]
    verdict = "OK" if slowest < 2 else "TOO SLOW"
    print(f"1,000 orders under 2 s: {verdict} ({slowest:.2f} s)")


if __name__ == "__main__":
    main()
