"""Full simulated purchases (basket -> paid) per second against gunicorn, and the
module page's requests per second in the same run, printed as a ratio.

    .venv/bin/python -m bench.checkout [--seconds 10] [--clients 4]

Runs gunicorn (2 workers) on 127.0.0.1 with DJANGO_DEBUG=true and a temporary SQLite
database, the simulator gateway, and a frictionless test card. Bounded in time.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.client import Browser, ConnectionLost
from bench.server import Gunicorn, snippet_output

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "bench-password-4242"  # noqa: S105 - a throwaway account in a temp DB
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP = """
import django
django.setup()
from allauth.account.models import EmailAddress
from privacy.models import User
from shop.models import Module
from django.urls import NoReverseMatch, reverse

for i in range({clients}):
    u = User.objects.create_user(email=f"bench{{i}}@example.com", password={password!r})
    EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)
for i in range(20):
    Module.objects.create(
        part_number=f"BENCH-{{i:03d}}", slug=f"bench-{{i:03d}}", brand="Crucial",
        generation="DDR4", form_factor="SODIMM", capacity_gb=16, speed_mts=3200,
        cas_latency=22, voltage_mv=1200, price_pence=3999 + i, price_eur_cents=4699 + i,
        stock=1_000_000,
    )
m = Module.objects.first()
try:
    print("MODULE_URL", reverse("shop:module-detail", kwargs={{"slug": m.slug}}))
except NoReverseMatch:
    print("MODULE_URL", "")
print("MODULE_IDS", ",".join(str(pk) for pk in Module.objects.values_list("pk", flat=True)))
"""


class Customer:
    """A signed-in customer buying through the simulator (plain HTTP, development mode)."""

    def __init__(self, port: int):
        self.browser = Browser(port, proxied=False, timeout=60)

    def purchase(self, module_id: str) -> bool:
        browser = self.browser
        browser.get("/en/basket/", "basket")
        browser.post("/en/basket/add/", {"module": module_id, "quantity": 1}, "basket add")
        browser.get("/en/checkout/", "checkout")
        address = {
            "name": "Bench Customer",
            "line1": "1 Test Street",
            "city": "London",
            "postcode": "N1 1AA",
            "country": "GB",
            "delivery": "standard",
        }
        address.update(browser.shown_prices)
        card_path, _status, _page = browser.post("/en/checkout/", address, "place")  # -> card form
        card = {"number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"}
        done_path, _status, page = browser.post(card_path, card, "pay")
        return done_path.endswith("/done/") and 'data-status="paid"' in page


def run_clients(clients: int, seconds: float, work) -> tuple[int, int]:
    """Run `work(index)` in a loop on `clients` threads for `seconds`; returns
    (successes, failures)."""
    stop = time.monotonic() + seconds
    counts = [[0, 0] for _ in range(clients)]

    def loop(i):
        while time.monotonic() < stop:
            try:
                counts[i][0 if work(i) else 1] += 1
            except (ConnectionLost, RuntimeError):
                counts[i][1] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def report(args, baseline_label, module_url, pages, page_errors, purchases, purchase_errors):
    page_rate = pages / args.seconds
    purchase_rate = purchases / args.seconds
    print(f"gunicorn 2 workers, SQLite, {args.clients} clients, {args.seconds:.0f} s each")
    print(f"{baseline_label} {module_url}: {page_rate:.1f} requests/s ({page_errors} errors)")
    print(
        f"full purchases (basket -> paid, 8 requests each): {purchase_rate:.2f} /s "
        f"({purchase_errors} failed)"
    )
    if purchase_rate and page_rate:
        print(
            f"ratio purchases/s : {baseline_label} requests/s = 1 : {page_rate / purchase_rate:.1f}"
        )
        print(
            f"(checkout requests/s = {purchase_rate * 8:.1f}, {purchase_rate * 8 / page_rate:.2f}x)"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="offtek-bench-", ignore_cleanup_errors=True) as tmp:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "offtek.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "PAYMENT_GATEWAY": "simulator",
            "STRIPE_SECRET_KEY": "",
            "LOG_LEVEL": "WARNING",
            "EMAIL_URL": "dummymail://",
            "PYTHONPATH": str(ROOT),
        }
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        setup = snippet_output(SETUP.format(clients=args.clients, password=PASSWORD), env)
        module_url = re.search(r"MODULE_URL (\S*)", setup)[1]
        module_ids = re.search(r"MODULE_IDS (\S+)", setup)[1].split(",")
        baseline_label = "module page"
        if not module_url:
            module_url, baseline_label = "/en/", "home page (no module page on this branch)"

        server = Gunicorn(env, probe="/en/").start()
        try:
            customers = [Customer(server.port) for _ in range(args.clients)]
            for i, customer in enumerate(customers):
                customer.browser.sign_in(f"bench{i}@example.com", PASSWORD)
            assert customers[0].purchase(module_ids[0]), "a warm-up purchase did not end paid"

            anonymous = [Browser(server.port, proxied=False) for _ in range(args.clients)]
            pages, page_errors = run_clients(
                args.clients, args.seconds, lambda i: anonymous[i].get(module_url)[1] == 200
            )
            purchases, purchase_errors = run_clients(
                args.clients,
                args.seconds,
                lambda i: customers[i].purchase(module_ids[i % len(module_ids)]),
            )
            # Printed before the server stops, so a slow stop cannot lose them.
            report(args, baseline_label, module_url, pages, page_errors, purchases, purchase_errors)
        finally:
            # Waits as long as a busy machine needs (SIGKILL only after two minutes)
            # and never raises.
            server.stop()


if __name__ == "__main__":
    main()
