"""Rendering invoices: 1,000 Factur-X PDFs (WeasyPrint page + EN 16931 XML, checked
against the XSD and embedded) in one process, with the time per invoice and the
process's peak memory. Target: under 200 ms per invoice and under 150 MB.

    .venv/bin/python bench/invoices.py [--count 1000]

Runs in-process against a temporary SQLite database (DJANGO_DEBUG=true), or against
DATABASE_URL if it is set. Orders of three lines and a delivery are bulk-created, VAT
frozen on them, paid, and invoiced; then each invoice is rendered and stored, as the
background task does (without the e-mail).
"""

import argparse
import logging
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from bench.in_process import bench_module, django_setup  # noqa: E402


def setup_django():
    os.environ.setdefault("BENCH_QUERY_LOG", "off")
    django_setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log growing in memory
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("factur-x").setLevel(logging.WARNING)


def invoices_issued(count: int) -> list:
    from django.utils import timezone

    from privacy.models import User
    from shop.invoices.freeze import order_vat_freeze
    from shop.invoices.services import invoice_issue
    from shop.models import Order, OrderLine

    user = User.objects.create_user(email="bench-invoices@example.com", language="fr")
    modules = [
        # The orders are in euros: their lines are priced in euro cents.
        bench_module(f"BENCH-INV-{i}", price_pence=price, price_eur_cents=price)
        for i, price in enumerate((3999, 12345, 777))
    ]
    documents = []
    for i in range(count):
        subtotal = sum(m.price_pence * (1 + j) for j, m in enumerate(modules))
        order = Order.objects.create(
            number=f"OT-BENCH-{i:05d}",
            user=user,
            subtotal_pence=subtotal,
            delivery_pence=999,
            total_pence=subtotal + 999,
            delivery_option="standard",
            delivery_name="Sophie Germain",
            delivery_line1="3 rue Vide",
            delivery_city="Paris",
            delivery_postcode="75005",
            delivery_country="FR",
            language="fr",
            currency="EUR",
            paid_at=timezone.now(),
            status="paid",
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                module=m,
                part_number=m.part_number,
                description=str(m),
                unit_price_pence=m.price_pence,
                quantity=1 + j,
            )
            for j, m in enumerate(modules)
        )
        order_vat_freeze(order=order)
        documents.append(invoice_issue(order=order).pk)
    return documents


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    setup_django()
    from shop.invoices.render import document_pdf
    from shop.models import Document, DocumentFile

    ids = invoices_issued(args.count)
    print(f"{len(ids)} invoices issued; rendering...", flush=True)
    durations, sizes = [], []
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    for pk in ids:
        begin = time.perf_counter()
        document = Document.objects.select_related("order").get(pk=pk)
        pdf = document_pdf(document)
        DocumentFile.objects.create(document=document, pdf=pdf)
        durations.append(time.perf_counter() - begin)
        sizes.append(len(pdf))
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    ms = sorted(d * 1000 for d in durations)
    print(f"invoices rendered: {len(ms)} in {total:.1f} s")
    print(
        f"time per invoice: mean {statistics.mean(ms):.1f} ms, median {ms[len(ms) // 2]:.1f} ms, "
        f"p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, first {durations[0] * 1000:.1f} ms"
    )
    print(f"CPU time per invoice (this process): {cpu / len(ms) * 1000:.1f} ms")
    print(
        f"machine load (1-minute average) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}"
        f" on {os.cpu_count()} CPUs: wall time grows with it, CPU time does not"
    )
    print(f"PDF size: mean {statistics.mean(sizes) / 1024:.1f} kB")
    print(f"peak memory (max RSS of the process): {peak_mb:.0f} MB")
    ok = statistics.mean(ms) < 200 and peak_mb < 150  # wall time, as a user waits for it
    print("targets (under 200 ms per invoice, under 150 MB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
