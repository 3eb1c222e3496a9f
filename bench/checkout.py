"""Full simulated purchases (basket -> paid) per second against gunicorn, and the
module page's requests per second in the same run, printed as a ratio.

    .venv/bin/python -m bench.checkout [--seconds 10] [--clients 4]

Runs gunicorn (2 workers) on 127.0.0.1 with DJANGO_DEBUG=true and a temporary SQLite
database, the simulator gateway, and a frictionless test card. Bounded in time.
"""

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.server import free_port

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
        cas_latency=22, voltage_mv=1200, price_pence=3999 + i, stock=1_000_000,
    )
m = Module.objects.first()
try:
    print("MODULE_URL", reverse("shop:module-detail", kwargs={{"slug": m.slug}}))
except NoReverseMatch:
    print("MODULE_URL", "")
print("MODULE_IDS", ",".join(str(pk) for pk in Module.objects.values_list("pk", flat=True)))
"""


class Customer:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=30) as response:  # noqa: S310
            return response.geturl(), response.read().decode()

    def post(self, path: str, data: dict, token: str) -> tuple[str, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def login(self, email: str):
        _url, page = self.get("/en/accounts/login/")
        self.post("/en/accounts/login/", {"login": email, "password": PASSWORD}, token(page))

    def purchase(self, module_id: str) -> bool:
        _url, page = self.get("/en/basket/")
        self.post("/en/basket/add/", {"module": module_id, "quantity": 1}, token(page))
        _url, page = self.get("/en/checkout/")
        address = {
            "name": "Bench Customer",
            "line1": "1 Test Street",
            "city": "London",
            "postcode": "N1 1AA",
            "country": "GB",
            "delivery": "standard",
        }
        card_url, page = self.post("/en/checkout/", address, token(page))  # -> pay -> card form
        path = urllib.parse.urlparse(card_url).path
        done_url, page = self.post(
            path, {"number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"}, token(page)
        )
        return done_url.endswith("/done/") and 'data-status="paid"' in page


def token(page: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("no CSRF token in the page")
    return match[1]


def run_clients(clients: int, seconds: float, work) -> tuple[int, int]:
    """Run `work(index)` in a loop on `clients` threads for `seconds`; returns
    (successes, failures)."""
    stop = time.monotonic() + seconds
    counts = [[0, 0] for _ in range(clients)]

    def loop(i):
        while time.monotonic() < stop:
            try:
                counts[i][0 if work(i) else 1] += 1
            except (urllib.error.URLError, RuntimeError, TimeoutError):
                counts[i][1] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="offtek-bench-") as tmp:
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
        setup = subprocess.run(
            [PYTHON, "-c", SETUP.format(clients=args.clients, password=PASSWORD)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        module_url = re.search(r"MODULE_URL (\S*)", setup)[1]
        module_ids = re.search(r"MODULE_IDS (\S+)", setup)[1].split(",")
        baseline_label = "module page"
        if not module_url:
            module_url, baseline_label = "/en/", "home page (no module page on this branch)"

        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "offtek.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--no-control-socket",  # its default path is shared by every gunicorn here
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(base + "/en/", timeout=10).read()  # noqa: S310
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("gunicorn did not start") from None
                    time.sleep(0.2)

            customers = [Customer(base) for _ in range(args.clients)]
            for i, customer in enumerate(customers):
                customer.login(f"bench{i}@example.com")
            assert customers[0].purchase(module_ids[0]), "a warm-up purchase did not end paid"

            anonymous = [Customer(base) for _ in range(args.clients)]
            pages, page_errors = run_clients(
                args.clients, args.seconds, lambda i: bool(anonymous[i].get(module_url)[1])
            )
            purchases, purchase_errors = run_clients(
                args.clients,
                args.seconds,
                lambda i: customers[i].purchase(module_ids[i % len(module_ids)]),
            )
        finally:
            server.terminate()
            server.wait(timeout=10)

    page_rate = pages / args.seconds
    purchase_rate = purchases / args.seconds
    print(f"gunicorn 2 workers, SQLite, {args.clients} clients, {args.seconds:.0f} s each")
    print(f"{baseline_label} {module_url}: {page_rate:.1f} requests/s ({page_errors} errors)")
    print(
        f"full purchases (basket -> paid, 8 requests each): {purchase_rate:.2f} /s "
        f"({purchase_errors} failed)"
    )
    print(f"ratio purchases/s : {baseline_label} requests/s = 1 : {page_rate / purchase_rate:.1f}")
    print(f"(checkout requests/s = {purchase_rate * 8:.1f}, {purchase_rate * 8 / page_rate:.2f}x)")


if __name__ == "__main__":
    main()
