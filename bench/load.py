"""Load and fault benchmark: many concurrent shoppers against gunicorn on PostgreSQL or
SQLite, then the shop's invariants checked in the database. A script run by hand, not
a test.

    .venv/bin/python -m bench.load [--duration 60] [--shoppers 50] [--workers 2] [--fault]
                                   [--sqlite | --server postgres://...] [--cache-url ...]

The database: --sqlite (a file in a temporary folder, the embedded default), or a
PostgreSQL server: --server, or the server of DATABASE_URL (for example
postgres://postgres@127.0.0.1:5432); without either, SQLite. --fault needs PostgreSQL
(it finds the worker inside a checkout through pg_stat_activity). The shared cache is
the production default (the database cache) unless --cache-url says (redis://...).
Target: p95 of every request < 500 ms for 50 shoppers on 2 workers. What it does:

1. Creates a fresh database (--database, dropped at the end), migrates, creates the
   cache table, loads the demo catalog and leaves only 3 to 5 units of --scarce
   modules, which most purchases aim at, so shoppers really fight for the last units.
   Creates one verified customer per shopper.
2. Collects the static files into a temporary folder and starts gunicorn
   (--workers sync workers) on 127.0.0.1 in production mode (DJANGO_DEBUG off, real
   secrets, the database cache and task queue, HTTPS and the shopper's address as
   seen through a proxy's X-Forwarded-Proto and X-Forwarded-For) with only the
   simulator payment gateway allowed in place of Stripe.
3. Signs every shopper in (not timed), then for --duration seconds each shopper browses
   (catalog list, filtered list, finder, finder result, module page, search), fills
   the basket (add, sometimes a quantity change), checks out and pays on the
   simulator's card form: frictionless cards, 3-D Secure approved and failed, declined
   and insufficient funds, and some shoppers walk away from the card form.
   With --fault, a gunicorn worker is killed with SIGKILL every --kill-every seconds
   while checkouts are in flight; gunicorn starts a new one.
4. Checks the invariants (bench/load_invariants.py), runs the shop's reconciliation
   (`release_abandoned_orders --minutes 0`: every order still awaiting payment is
   treated as abandoned, as it would be 30 minutes later) and checks them again.
5. Prints requests/s, latency percentiles, answers by status, orders by status and
   each invariant; exits 1 if any invariant fails or any answer was a 5xx.

No answer at all (a connection reset by a killed worker) is counted apart from the
statuses; without --fault there must be none.
"""

import argparse
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from bench.client import Browser, ConnectionLost, Record, TimeUp
from bench.load_fault import kill_workers, release_while_paying
from bench.load_shopper import Shopper
from bench.server import Gunicorn, free_port

ROOT = Path(__file__).resolve().parent.parent
P95_TARGET_MS = 500
PASSWORD = "load-bench-password-4242"  # noqa: S105 - throwaway accounts in a temporary DB


def database_admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def environment(database_url: str, static_root: str, cache_url: str = "") -> dict:
    """Production mode: no DEBUG, fresh secrets, the database task queue and the
    database cache unless `cache_url` says otherwise (so any CACHE_URL or TASKS_BACKEND
    of the caller is left out)."""
    inherited = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "TASKS_BACKEND")}
    return {
        **inherited,
        **({"CACHE_URL": cache_url} if cache_url else {}),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_STATIC_ROOT": static_root,
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CRYPTOGRAPHY_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "SITE_URL": "https://127.0.0.1",
        "DATABASE_URL": database_url,
        "EMAIL_URL": "dummymail://",
        "PAYMENT_GATEWAY": "simulator",
        "OFFTEK_TEST_SHOP": "true",  # production settings, but a shop that takes no money
        "STRIPE_SECRET_KEY": "",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def prepare(options) -> dict:
    """Migrate, load the catalog, make some modules scarce, create the customers.
    Returns what the shoppers and the checks need."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from privacy.models import User
    from shop.models import Module, System

    call_command("migrate", "--no-input", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo_catalog", modules=options.modules, systems=options.systems, seed=1)
    rng = random.Random(options.seed)
    on_sale = list(Module.objects.filter(is_active=True).order_by("pk"))
    hot = rng.sample(on_sale, options.scarce)
    for module in hot:
        module.stock = rng.randint(3, 5)
    Module.objects.bulk_update(hot, ["stock"])
    plenty = [m for m in on_sale if m not in hot and m.stock >= 30][:40]
    password = make_password(PASSWORD)
    for index in range(options.shoppers):
        user = User.objects.create_user(email=f"shopper{index}@example.com")
        user.password = password
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    systems = System.objects.filter(slots__gt=0).order_by("pk")[:40]
    sessions = [signed_in_session(user) for user in User.objects.order_by("pk")]
    return {
        "hot_ids": [m.pk for m in hot],
        "module_ids": [m.pk for m in plenty],
        "module_paths": [m.get_absolute_url() for m in [*hot, *plenty]],
        "system_paths": [s.get_absolute_url() for s in systems],
        "initial_stock": dict(Module.objects.values_list("pk", "stock")),
        "sessions": sessions,
    }


def signed_in_session(user) -> str:
    """A session key as the sign-in form would leave it (signing 50 shoppers in
    through PBKDF2 takes minutes on two busy cores, and is not what is measured)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def gunicorn_start(options, env, port: int, log_path: Path) -> Gunicorn:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return Gunicorn(env, workers=options.workers, port=port, log=log_path).start()


def drive(options, servers, catalog: dict, server) -> tuple[list[Record], float, list]:
    """Run the shoppers for --duration seconds against `servers` (a port, or a
    RoundRobin of the ports of several app servers)."""
    records = [Record() for _ in range(options.shoppers)]
    shoppers = [
        Shopper(
            Browser(
                servers,
                records[i],
                address=f"203.0.113.{i % 250 + 1}",
                think=getattr(options, "think", 0.0),
            ),
            catalog,
            random.Random(options.seed * 1000 + i),
            double_clicks=options.double_clicks,
        )
        for i in range(options.shoppers)
    ]
    started = time.monotonic()
    through_form = shoppers[: options.sign_ins]
    signed_in = run_threads(
        [
            lambda s=s, i=i: s.sign_in(f"shopper{i}@example.com", PASSWORD)
            for i, s in enumerate(through_form)
        ],
        limit=4,
    )
    for index, shopper in enumerate(shoppers[options.sign_ins :], start=options.sign_ins):
        shopper.browser.cookies["sessionid"] = catalog["sessions"][index]
    print(
        f"Signed in {sum(r is True for r in signed_in)}/{len(through_form)} shoppers through "
        f"the sign-in form in {time.monotonic() - started:.1f} s, the others arrive with a "
        "session (not part of the figures)"
    )
    for record in records:
        record.samples.clear()
    stop_at = time.monotonic() + options.duration
    for shopper in shoppers:
        shopper.browser.stop_at = stop_at
    killed: list = []
    killer = None
    if options.fault:
        killer = threading.Thread(
            target=kill_workers,
            args=(server.process, os.environ["DATABASE_URL"], stop_at, options.kill_every, killed),
        )
        killer.start()
    released: list[int] = []
    releaser = None
    if options.fault:
        releaser = threading.Thread(
            target=release_while_paying,
            args=(stop_at, options.kill_every / 2, options.abandon_after, released),
        )
        releaser.start()

    def loop(shopper):
        while True:
            try:
                shopper.visit()
            except ConnectionLost:
                time.sleep(0.5)  # the shopper reloads after a moment
            except TimeUp:
                return

    started = time.monotonic()
    run_threads([lambda s=s: loop(s) for s in shoppers])
    elapsed = time.monotonic() - started
    if killer:
        killer.join()
    if releaser:
        releaser.join()
        print(
            f"Released {sum(released)} orders awaiting payment for over "
            f"{options.abandon_after:.0f} s while shoppers were paying"
        )
    return records, elapsed, killed


def run_threads(functions, limit: int | None = None) -> list:
    """Run each function on its own thread (at most `limit` at once); their results."""
    results: list = [None] * len(functions)
    gate = threading.Semaphore(limit or len(functions))

    def run(index, function):
        with gate:
            try:
                results[index] = function()
            except ConnectionLost as error:
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report_traffic(records, elapsed: float) -> int:
    """Print the traffic figures; returns the number of 5xx answers."""
    samples = [s for r in records for s in r.samples]
    statuses = Counter(s.status for s in samples)
    print(f"\nRequests: {len(samples)} in {elapsed:.1f} s = {len(samples) / elapsed:.1f} req/s")
    print(
        "Answers by status: "
        + ", ".join(f"{k or 'no answer'}: {v}" for k, v in sorted(statuses.items()))
    )
    print(f"\n{'page':28} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    groups: dict[str, list[float]] = {"(all)": [s.seconds for s in samples]}
    for sample in samples:
        groups.setdefault(sample.label, []).append(sample.seconds)
    for label, values in groups.items():
        print(
            f"{label:28} {len(values):6} "
            + " ".join(f"{percentile(values, q) * 1000:8.0f}" for q in (0.5, 0.95, 0.99))
        )
    p95 = percentile(groups["(all)"], 0.95) * 1000
    print(
        f"p95 of every request: {p95:.0f} ms, target < {P95_TARGET_MS} ms: "
        + ("ok" if p95 < P95_TARGET_MS else "ABOVE TARGET")
    )
    return sum(v for k, v in statuses.items() if k >= 500)


def report_checks(title: str, checks) -> bool:
    print(f"\n{title}")
    ok = True
    for name, problems in checks:
        print(f"  {'ok  ' if not problems else 'FAIL'} {name}")
        for problem in problems[:10]:
            print(f"       {problem}")
        if len(problems) > 10:
            print(f"       ... and {len(problems) - 10} more")
        ok = ok and not problems
    return ok


def server_errors(log_path: Path) -> int:
    """Tracebacks and 'Internal Server Error' lines gunicorn's workers logged."""
    text = log_path.read_text(errors="replace")
    return text.count("Internal Server Error") + text.count("Traceback (most recent call last)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--shoppers", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--fault", action="store_true", help="SIGKILL workers during the load")
    parser.add_argument(
        "--abandon-after",
        type=float,
        default=30,
        help="with --fault, orders unpaid for this many seconds are released during the load",
    )
    parser.add_argument(
        "--sign-ins", type=int, default=5, help="shoppers who sign in through the form (5)"
    )
    parser.add_argument("--kill-every", type=float, default=10, help="seconds between kills")
    parser.add_argument(
        "--double-clicks", type=float, default=0.1, help="share of forms posted twice at once"
    )
    parser.add_argument("--modules", type=int, default=400)
    parser.add_argument("--systems", type=int, default=250)
    parser.add_argument("--scarce", type=int, default=12, help="modules with 3-5 units")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", default="", help="postgres://user@host:port")
    parser.add_argument("--database", default="offtek_load_bench")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite database")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds each shopper pauses before a page or form (0: none)",
    )
    parser.add_argument("--cache-url", default="", help="the shared cache (redis://...)")
    parser.add_argument("--keep-log", action="store_true", help="keep gunicorn's log")
    options = parser.parse_args()

    server_url = "" if options.sqlite else options.server or os.environ.get("DATABASE_URL", "")
    postgres = server_url.startswith(("postgres://", "postgresql://"))
    if options.fault and not postgres:
        parser.error("--fault needs PostgreSQL: give --server postgres://...")
    workdir = Path(tempfile.mkdtemp(prefix="offtek-load-"))
    log_path = workdir / "gunicorn.log"
    if postgres:
        parts = urlsplit(server_url)
        server_url = f"{parts.scheme}://{parts.netloc}"
        database_url = f"{server_url}/{options.database}"
        database_admin(server_url, f'CREATE DATABASE "{options.database}"')
    else:
        database_url = f"sqlite:///{workdir / 'load.sqlite3'}"
    env = environment(database_url, str(workdir / "static"), options.cache_url)
    os.environ.update(env)
    engine = "PostgreSQL" if postgres else "SQLite"
    server = None
    try:
        started = time.monotonic()
        catalog = prepare(options)
        print(
            f"Database: {engine} ({options.database if postgres else 'a temporary file'}), "
            f"cache: {options.cache_url or 'the database cache'}; {options.modules} modules "
            f"({options.scarce} with 3-5 units), {options.shoppers} customers, "
            f"ready in {time.monotonic() - started:.1f} s"
        )
        port = free_port()
        server = gunicorn_start(options, env, port, log_path)
        print(
            f"gunicorn: {options.workers} sync workers on 127.0.0.1:{port}, production "
            f"settings, simulator gateway; {options.shoppers} shoppers for "
            f"{options.duration:.0f} s, pausing {options.think:g} s on average before each page"
            + (f", killing a worker every {options.kill_every:.0f} s" if options.fault else "")
        )
        records, elapsed, killed = drive(options, port, catalog, server)
        if killed:
            targeted = sum(kill.in_checkout for kill in killed)
            print(
                f"Killed {len(killed)} worker(s) with SIGKILL, {targeted} of them inside an "
                "order, payment or stock transaction"
            )
        server.stop()
        server = None
        return results(options, records, elapsed, catalog, log_path, killed)
    finally:
        if server is not None:
            server.stop()
        from django.db import connections

        connections.close_all()
        if postgres:
            database_admin(server_url, f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)')
        if options.keep_log and log_path.exists():
            kept = ROOT / "var" / "load-gunicorn.log"
            kept.parent.mkdir(exist_ok=True)
            kept.write_text(log_path.read_text(errors="replace"))
            print(f"gunicorn's log: {kept}")
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


def results(options, records, elapsed, catalog, log_path, killed) -> int:
    from django.core.management import call_command

    from bench import load_invariants as checks

    five_xx = report_traffic(records, elapsed)
    logged = server_errors(log_path)
    attempts = [a for r in records for a in r.attempts]
    cards = Counter(a.card for a in attempts)
    no_answer = sum(1 for r in records for s in r.samples if s.status == 0)
    print(
        f"\nCheckouts tried: {len(attempts)} ("
        + ", ".join(f"{k} {v}" for k, v in sorted(cards.items()))
        + f"); orders placed: {sum(1 for a in attempts if a.order_number)}, "
        f"shown paid: {sum(1 for a in attempts if a.seen_status in ('paid', 'held_for_review'))}, "
        f"cut off by a killed worker: {sum(1 for a in attempts if a.note.startswith('cut off'))}, "
        f"refused (sold out): {sum(1 for a in attempts if a.note.startswith('not placed'))}"
    )
    traffic = [
        ("no 5xx answer", [f"{five_xx} answers were 5xx"] if five_xx else []),
        ("no error in gunicorn's log", [f"{logged} errors logged"] if logged else []),
    ]
    if not options.fault:
        traffic.append(("every request answered", [f"{no_answer} unanswered"] if no_answer else []))
    ok = report_checks("Traffic:", traffic)
    initial = catalog["initial_stock"]
    ok &= report_checks(
        "Invariants after the load:",
        checks.check_stock(initial) + checks.check_orders(reconciled=False),
    )
    print(f"Orders by status: {checks.order_counts()}")
    call_command("release_abandoned_orders", minutes=0)
    ok &= report_checks(
        "Invariants after reconciliation (release_abandoned_orders --minutes 0):",
        checks.check_stock(initial)
        + checks.check_orders(reconciled=True)
        + checks.check_client_view(attempts),
    )
    counts = checks.order_counts()
    print(f"Orders by status: {counts}")
    print(f"\n{'ALL INVARIANTS HOLD' if ok else 'SOME INVARIANTS FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
