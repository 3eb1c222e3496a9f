"""Catalog benchmark: requests per second of the shopper's catalog pages, as a ratio of
a hello-world Django view served by the same gunicorn, measured in one run.

    .venv/bin/python -m bench.catalog [--modules 10000] [--systems 5000] [--seconds 10]

It builds a fresh SQLite database in a temporary directory (migrate + the demo
catalog), serves it with gunicorn (2 workers, 127.0.0.1, a free port, DJANGO_DEBUG=true
so there is no HTTPS redirect), loads each page with wrk if installed (else a small
threaded Python client) in interleaved rounds keeping each page's best, stops the server
and prints the ratios last. Target: every
ratio >= 0.30 for anonymous visitors.
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.30


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def measure_with_wrk(port, path, seconds, connections):
    output = subprocess.run(
        [
            "wrk",
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


def measure_with_threads(port, path, seconds, connections):
    done = []
    failures = []
    stop_at = time.monotonic() + seconds

    def client():
        count = 0
        while time.monotonic() < stop_at:
            status, _ = get(port, path)
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

    system = System.objects.filter(slots__gt=0, model_line="Latitude 5000").order_by("pk").first()
    system = system or System.objects.filter(slots__gt=0).order_by("pk").first()
    module = Module.objects.filter(is_active=True, form_factor="SODIMM").order_by("pk").first()
    return {
        "hello": "/bench/hello/",
        "(layout only)": "/bench/layout/",
        "catalog list (filtered)": "/en/memory/?generation=DDR4&form_factor=SODIMM&capacity=16"
        "&in_stock=on&sort=-price",
        "memory finder result": system.get_absolute_url(),
        "module page": module.get_absolute_url(),
    }


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
        pages = pages_to_measure(env)

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
            ],
            cwd=ROOT,
            env=env,
        )
        wait_until_serving(port, server)
        measure = measure_with_wrk if shutil.which("wrk") else measure_with_threads
        print(
            f"Load generator: {'wrk' if shutil.which('wrk') else 'Python threads'}, "
            f"{options.connections} connections, {options.rounds} rounds of "
            f"{options.seconds} s per page"
        )
        for path in pages.values():
            status, _ = get(port, path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            measure(port, path, 1, options.connections)  # warm up both workers
        # Pages are measured in interleaved rounds and each keeps its best round, so a
        # burst of load from elsewhere on the machine does not land on one page only.
        # The order turns each round, so no page is always measured last.
        rounds = {name: [] for name in pages}
        order = list(pages.items())
        for number in range(options.rounds):
            turned = order[number % len(order) :] + order[: number % len(order)]
            for name, path in turned:
                rounds[name].append(measure(port, path, options.seconds, options.connections))
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
    print()
    print(
        f"Reference: the layout alone (base.html around an empty fragment) is "
        f"{layout / hello:.2f} of the hello-world view: no shopper page can do better."
    )
    print(f"Ratios to the hello-world view ({hello:.1f} req/s), target >= {TARGET_RATIO:.2f}:")
    worst = min(rps / hello for rps in results.values())
    for name, rps in results.items():
        ratio = rps / hello
        print(f"{name:26} {ratio:.2f} {'ok' if ratio >= TARGET_RATIO else 'BELOW TARGET'}")
    return 0 if worst >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
