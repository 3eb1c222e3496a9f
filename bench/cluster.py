"""Two app servers ("two machines") against one PostgreSQL and one Redis: the shop's
shared state holds across them, and the load workload keeps its invariants.

    .venv/bin/python -m bench.cluster [--duration 20] [--shoppers 30] [--workers 2]
                                      [--server postgres://...] [--redis redis://...]

PostgreSQL: --server, or the server of a PostgreSQL DATABASE_URL; without either, a
throwaway server is started (Debian's postgresql binaries). Redis: --redis, or a
redis-server started on a free port. Both started ones are stopped at the end.

1. A fresh database with the load benchmark's catalog and customers (bench/load.py),
   and a staff member with two-factor authentication.
2. Two gunicorn app servers (--workers each) on two ports, same settings: production
   mode, the database above, CACHE_URL=Redis (sessions, rate limits, catalog version).
3. Checks, each through one server and seen through the other:
   - a staff price change and a stock change (admin actions on server A) show on the
     module's page served by B at once;
   - a sign-in lockout reached through A (wrong passwords) holds on B;
   - a session started on A (sign in) works on B.
4. The load workload for --duration seconds on server A alone, then for --duration
   seconds across A and B through a round-robin client; requests/s of each.
5. The load invariants (no 5xx, no overselling, one payment per paid order, ...).
Exits 1 if any check or invariant fails.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from bench import load
from bench.client import Browser, RoundRobin
from bench.server import Gunicorn
from bench.stack import Postgres, RedisServer, postgres_binaries

STAFF_EMAIL, STAFF_PASSWORD = "staff@example.com", "staff-bench-password-4242"  # noqa: S105


def postgres_start(workdir: Path) -> tuple[str, callable]:
    """A throwaway PostgreSQL on a free port; its URL and a function that stops it."""
    if not postgres_binaries():
        raise SystemExit("no PostgreSQL: give --server postgres://... or install postgresql")
    server = Postgres(workdir)
    server.start()
    return server.server_url, server.stop


def redis_start(workdir: Path) -> tuple[str, callable]:
    """A redis-server on a free port of 127.0.0.1; its URL and a function that stops it."""
    if not shutil.which("redis-server"):
        raise SystemExit("no redis-server: give --redis redis://... or install redis-server")
    server = RedisServer(workdir)
    server.start()
    return server.url, server.stop


def staff_create() -> str:
    """A superuser with a verified address and TOTP; returns the TOTP secret."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from privacy.models import User

    staff = User.objects.create_superuser(email=STAFF_EMAIL, password=STAFF_PASSWORD)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    return secret


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def staff_action(browser: Browser, module_id: int, action: str, values: dict) -> None:
    """An admin action on one module, through the server `browser` talks to."""
    changelist = "/en/admin/shop/module/"
    _path, status, _page = browser.get(changelist, "admin")
    if status != 200:
        raise RuntimeError(f"the admin answered {status} to the staff member")
    form = {"action": action, "_selected_action": module_id, "index": 0}
    browser.post(changelist, {**form, **values, "apply": "1"}, "admin action")


def module_page(browser: Browser, path: str) -> str:
    _path, status, page = browser.get(path, "module page")
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return page


def check(name: str, ok: bool, detail: str = "") -> bool:
    print(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f" ({detail})" if detail else ""))
    return ok


def shared_state_checks(ports, catalog, secret) -> bool:
    """Each change made through server A, seen through server B."""
    a, b = ports
    print(f"\nShared state between app server A (:{a}) and B (:{b}):")
    ok = True
    module_id = catalog["module_ids"][0]
    path = catalog["module_paths"][len(catalog["hot_ids"])]  # the first plenty module
    on_b = Browser(b)
    price = re.compile(r"£(\d+\.\d\d)")
    before = price.search(module_page(on_b, path))[1]
    staff = Browser(a, address="198.51.100.7")
    staff.get("/en/accounts/login/")
    staff.post("/en/accounts/login/", {"login": STAFF_EMAIL, "password": STAFF_PASSWORD})
    staff.post("/en/accounts/2fa/authenticate/", {"code": totp_code(secret)}, "staff 2fa")
    staff_action(staff, module_id, "reprice", {"percent": "-10"})
    after = price.search(module_page(on_b, path))[1]
    ok &= check(
        "a staff price change on A shows on B at once",
        float(after) < float(before),
        f"£{before} -> £{after}",
    )
    buyable = "/basket/add/" in module_page(on_b, path)
    staff_action(staff, module_id, "set_stock", {"stock": "0"})
    sold_out = "/basket/add/" not in module_page(on_b, path)
    staff_action(staff, module_id, "set_stock", {"stock": "500"})
    back = "/basket/add/" in module_page(on_b, path)
    ok &= check(
        "a staff stock change on A shows on B at once",
        buyable and sold_out and back,
        "buyable, sold out, buyable again",
    )

    victim = "shopper0@example.com"
    through_a = Browser(a, address="198.51.100.20")
    for attempt in range(6):
        through_a.address = f"198.51.100.{21 + attempt}"  # the per-address limit stays out
        through_a.get("/en/accounts/login/")
        through_a.post("/en/accounts/login/", {"login": victim, "password": "wrong-password"})
    through_b = Browser(b, address="198.51.100.40")
    through_b.get("/en/accounts/login/")
    _path, _status, page = through_b.post(
        "/en/accounts/login/", {"login": victim, "password": load.PASSWORD}
    )
    ok &= check(
        "a sign-in lockout reached through A holds on B",
        "Too many failed login attempts" in page,
    )

    customer = Browser(a, address="198.51.100.50")
    signed_in = customer.sign_in("shopper1@example.com", load.PASSWORD)
    customer.servers = RoundRobin([b])
    path_b, status, page = customer.get("/en/account/", "account")
    ok &= check(
        "a session started on A works on B",
        signed_in and status == 200 and "/accounts/login/" not in path_b and "Sign out" in page,
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds per load phase")
    parser.add_argument("--shoppers", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--server", default="", help="postgres://user@host:port")
    parser.add_argument("--redis", default="", help="redis://host:port/db")
    parser.add_argument("--database", default="offtek_cluster_bench")
    options = parser.parse_args()
    # What bench/load.py's prepare() and drive() read.
    defaults = {
        "modules": 400,
        "systems": 250,
        "scarce": 12,
        "seed": 1,
        "sign_ins": 2,
        "double_clicks": 0.1,
        "fault": False,
        "kill_every": 10,
        "abandon_after": 30,
    }
    for name, value in defaults.items():
        setattr(options, name, value)

    workdir = Path(tempfile.mkdtemp(prefix="offtek-cluster-"))
    stops = []
    servers: list[Gunicorn] = []
    server_url = options.server or os.environ.get("DATABASE_URL", "")
    try:
        if not server_url.startswith(("postgres://", "postgresql://")):
            server_url, stop = postgres_start(workdir)
            stops.append(stop)
            print(f"PostgreSQL started: {server_url}")
        parts = urlsplit(server_url)
        server_url = f"{parts.scheme}://{parts.netloc}"
        redis_url = options.redis
        if not redis_url:
            redis_url, stop = redis_start(workdir)
            stops.append(stop)
            print(f"Redis started: {redis_url}")
        env = load.environment(
            f"{server_url}/{options.database}", str(workdir / "static"), redis_url
        )
        os.environ.update(env)
        load.database_admin(server_url, f'DROP DATABASE IF EXISTS "{options.database}"')
        load.database_admin(server_url, f'CREATE DATABASE "{options.database}"')
        catalog = load.prepare(options)
        secret = staff_create()
        from django.core.cache import cache

        cache.clear()  # no rate limit or page version left from an earlier run
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=load.ROOT,
            env=env,
            check=True,
        )
        for name in ("a", "b"):
            servers.append(
                Gunicorn(env, workers=options.workers, log=workdir / f"gunicorn-{name}.log").start()
            )
        ports = [server.port for server in servers]
        print(
            f"App servers A :{ports[0]} and B :{ports[1]}, {options.workers} sync workers each, "
            f"production settings; PostgreSQL {options.database}, Redis {redis_url}"
        )
        ok = shared_state_checks(ports, catalog, secret)
        from shop.models import Module

        # The staff changes above are the new starting stock of the load's checks.
        catalog["initial_stock"] = dict(Module.objects.values_list("pk", "stock"))

        phases = {}
        for label, chosen in (("one app server (A)", ports[:1]), ("two app servers", ports)):
            records, elapsed, _killed = load.drive(options, RoundRobin(chosen), catalog, None)
            phases[label] = (records, elapsed)
        for server in servers:
            server.stop()
        print(f"\nLoad: {options.shoppers} shoppers, {options.duration:.0f} s per phase")
        for label, (records, elapsed) in phases.items():
            samples = [s for r in records for s in r.samples]
            by_port = {port: sum(1 for s in samples if s.port == port) for port in ports}
            print(
                f"  {label:20} {len(samples) / elapsed:7.1f} requests/s  "
                f"(by server: {', '.join(f':{p} {n}' for p, n in by_port.items() if n)})"
            )
        all_records = [r for records, _elapsed in phases.values() for r in records]
        five_xx = load.report_traffic(all_records, sum(e for _r, e in phases.values()))
        logged = sum(load.server_errors(workdir / f"gunicorn-{n}.log") for n in ("a", "b"))
        ok &= load.report_checks(
            "Traffic:",
            [
                ("no 5xx answer", [f"{five_xx} answers were 5xx"] if five_xx else []),
                ("no error in either server's log", [f"{logged} errors"] if logged else []),
            ],
        )
        from django.core.management import call_command

        from bench import load_invariants as checks

        attempts = [a for r in all_records for a in r.attempts]
        call_command("release_abandoned_orders", minutes=0)
        ok &= load.report_checks(
            "Invariants after the load and the reconciliation:",
            checks.check_stock(catalog["initial_stock"])
            + checks.check_orders(reconciled=True)
            + checks.check_client_view(attempts),
        )
        print(f"Orders by status: {checks.order_counts()}")
        print(f"\n{'ALL CHECKS HOLD' if ok else 'SOME CHECKS FAIL'}")
        return 0 if ok else 1
    finally:
        for server in servers:
            server.stop()
        try:
            from django.db import connections

            connections.close_all()
            load.database_admin(
                server_url, f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)'
            )
        except Exception as error:  # noqa: BLE001 - the cleanup must reach the stops
            print(f"could not drop the database: {error}", file=sys.stderr)
        for stop in reversed(stops):
            stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
