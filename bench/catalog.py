"""Catalog benchmark: requests per second of the shopper's catalog pages, as a ratio of
a hello-world Django view served by the same gunicorn, measured in one run.

    .venv/bin/python -m bench.catalog [--modules 10000] [--systems 5000] [--seconds 10]

It builds a fresh SQLite database in a temporary directory (migrate + the demo
catalog), serves it with gunicorn (2 workers, 127.0.0.1, a free port, DJANGO_DEBUG=true
so there is no HTTPS redirect), loads each page with wrk if installed (else a small
threaded Python client) in interleaved rounds keeping each page's best, stops the server
and prints the ratios last. Target: every ratio >= 0.30 for anonymous visitors.

Anonymous visitors who carry no session get catalog pages from the whole-page cache
(shop/catalog/page_cache.py) with a fresh CSRF token and CSP nonce each. For comparison, and
outside the target, it also measures the catalog list for a shopper with a basket
(a session cookie: the page is rendered for them alone) and the layout alone rendered
for every request.
"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.server import free_port

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.30


def run(args, env):
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True)


def wait_until_serving(port, server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited before serving")
        try:
            status, _ = get(port, "/bench/hello/")
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def get(port, path, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def shopper_with_basket(port, module_id):
    """The Cookie header of a visitor who has put a module in their basket."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/en/basket/")
        response = connection.getresponse()
        page = response.read().decode()
        cookies = dict(
            header.split(";", 1)[0].split("=", 1)
            for name, header in response.getheaders()
            if name.lower() == "set-cookie"
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        body = f"csrfmiddlewaretoken={token}&module={module_id}&quantity=1"
        connection.request(
            "POST",
            "/en/basket/add/",
            body=body,
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        response.read()
        for name, header in response.getheaders():
            if name.lower() == "set-cookie":
                key, value = header.split(";", 1)[0].split("=", 1)
                cookies[key] = value
    finally:
        connection.close()
    if "sessionid" not in cookies:
        raise RuntimeError("adding to the basket started no session")
    return "; ".join(f"{name}={value}" for name, value in cookies.items() if name != "messages")


def measure_with_wrk(port, path, seconds, connections, cookie=None):
    output = subprocess.run(
        [
            "wrk",
            *(["-H", f"Cookie: {cookie}"] if cookie else []),
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"errors while loading {path}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def measure_with_threads(port, path, seconds, connections, cookie=None):
    done = []
    failures = []
    stop_at = time.monotonic() + seconds

    def client():
        count = 0
        while time.monotonic() < stop_at:
            status, _ = get(port, path, cookie)
            if status != 200:
                failures.append(status)
            count += 1
        done.append(count)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests on {path}: {set(failures)}")
    return sum(done) / (time.monotonic() - started)


def pages_to_measure(env):
    """The URLs of one finder result page and one module page, chosen in the database."""
    os.environ.update(env)
    import django

    django.setup()
    from shop.models import Module, System

    system = System.objects.filter(slots__gt=0, model_line="Roadbook").order_by("pk").first()
    system = system or System.objects.filter(slots__gt=0).order_by("pk").first()
    module = Module.objects.filter(is_active=True, form_factor="SODIMM").order_by("pk").first()
    in_stock = Module.objects.filter(is_active=True, stock__gt=0).order_by("pk").first()
    return in_stock.pk, {
        "hello": "/bench/hello/",
        "(layout only)": "/bench/layout/",
        "catalog list (filtered)": "/en/memory/?generation=DDR4&form_factor=SODIMM&capacity=16"
        "&in_stock=on&sort=-price",
        "memory finder result": system.get_absolute_url(),
        "module page": module.get_absolute_url(),
    }


LIST_WITH_BASKET = "(list, with a basket)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=10_000)
    parser.add_argument("--systems", type=int, default=5_000)
    parser.add_argument("--seconds", type=int, default=4, help="per page and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="offtek-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DJANGO_DEBUG": "true",
        "DATABASE_CONN_MAX_AGE": "60",  # as in production: no new connection per request
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        print(f"Database: {workdir / 'bench.sqlite3'}")
        run(["manage.py", "migrate", "--no-input", "-v", "0"], env)
        started = time.monotonic()
        run(
            [
                "manage.py",
                "load_demo_catalog",
                "--modules",
                str(options.modules),
                "--systems",
                str(options.systems),
                "--seed",
                "1",
            ],
            env,
        )
        print(f"Demo catalog loaded in {time.monotonic() - started:.1f} s")
        basket_module, pages = pages_to_measure(env)
        pages[LIST_WITH_BASKET] = pages["catalog list (filtered)"]

        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "offtek.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--no-control-socket",  # its default path is shared by every gunicorn here
            ],
            cwd=ROOT,
            env=env,
        )
        wait_until_serving(port, server)
        cookies = {LIST_WITH_BASKET: shopper_with_basket(port, basket_module)}
        measure = measure_with_wrk if shutil.which("wrk") else measure_with_threads
        print(
            f"Load generator: {'wrk' if shutil.which('wrk') else 'Python threads'}, "
            f"{options.connections} connections, {options.rounds} rounds of "
            f"{options.seconds} s per page"
        )
        for name, path in pages.items():
            status, page = get(port, path, cookies.get(name))
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            if name == LIST_WITH_BASKET and b'aria-label="1 item"' not in page:
                raise RuntimeError("the shopper's basket does not show on their page")
            measure(port, path, 1, options.connections, cookies.get(name))  # warm up
        # Pages are measured in interleaved rounds and each keeps its best round, so a
        # burst of load from elsewhere on the machine does not land on one page only.
        # The order turns each round, so no page is always measured last.
        rounds = {name: [] for name in pages}
        order = list(pages.items())
        for number in range(options.rounds):
            turned = order[number % len(order) :] + order[: number % len(order)]
            for name, path in turned:
                rounds[name].append(
                    measure(port, path, options.seconds, options.connections, cookies.get(name))
                )
        results = {name: max(values) for name, values in rounds.items()}
        for name, path in pages.items():
            spread = ", ".join(f"{value:.0f}" for value in rounds[name])
            print(f"{name:24} {results[name]:7.1f} req/s (rounds: {spread})  {path}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    hello = results.pop("hello")
    layout = results.pop("(layout only)")
    with_basket = results.pop(LIST_WITH_BASKET)
    print()
    print("For comparison, outside the target (pages rendered for one visitor):")
    print(f"  the layout alone, rendered per request   {layout / hello:.2f}")
    print(f"  the catalog list for a shopper with a basket {with_basket / hello:.2f}")
    print(f"Ratios to the hello-world view ({hello:.1f} req/s), target >= {TARGET_RATIO:.2f}:")
    worst = min(rps / hello for rps in results.values())
    for name, rps in results.items():
        ratio = rps / hello
        print(f"{name:26} {ratio:.2f} {'ok' if ratio >= TARGET_RATIO else 'BELOW TARGET'}")
    return 0 if worst >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
