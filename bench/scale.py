"""The catalog benchmark at a real catalog's size (`bench.catalog --database postgres`):
a fresh PostgreSQL database for the run, the finder's suggestions typed letter by
letter over HTTP, the task worker beside gunicorn, and the memory of every process.

    database = BenchDatabase("postgres"); url = database.create()   # "" for SQLite
    worker = TaskWorker(env).start()
    failed = after_pages(env, server, worker, typed_names=100)   # suggestions, memory
    shut_down(worker, database)                                  # the database dropped

Targets (issue 26): suggestions p95 < 20 ms, each gunicorn worker and the task worker
< 200 MB resident; the load time's target (< 3 minutes) is checked by load_report.
"""

import contextlib
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg

from bench.client import Browser
from bench.server import snippet_output

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/offtek_bench"
SUGGESTIONS_P95_MS, RSS_LIMIT_MB, LOAD_LIMIT_SECONDS = 20.0, 200.0, 180.0
SUGGESTIONS_FROM = 2  # static/js/finder.js asks from two characters
SUGGESTIONS_PATH, HELLO_PATH = "/en/finder/suggestions/", "/bench/hello/"


def verdict(ok: bool) -> str:
    return "ok" if ok else "BELOW TARGET"


def postgres_server_url() -> str:
    """DATABASE_URL when it names a PostgreSQL database, else the local default."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_POSTGRES_URL


def _with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


class BenchDatabase:
    """The run's database. For "postgres": a new, empty database on DATABASE_URL's
    server, named after it with a random suffix (no existing database is touched),
    dropped by drop(). For "sqlite": nothing here (bench.catalog uses a file in its
    temporary folder)."""

    def __init__(self, kind: str):
        self.kind = kind
        self.server = postgres_server_url()
        base = urllib.parse.urlsplit(self.server).path.strip("/") or "offtek_bench"
        self.name = f"{base}_{secrets.token_hex(4)}"
        self.created = False

    def _admin(self):
        maintenance = _with_database(self.server, "postgres")
        try:
            return psycopg.connect(maintenance, autocommit=True, connect_timeout=5)
        except psycopg.OperationalError as error:
            raise SystemExit(
                f"--database postgres: no PostgreSQL answers at {maintenance} "
                f"({str(error).strip()}). Set DATABASE_URL=postgres://user@host:port/name "
                "to a server this user may create databases on."
            ) from None

    def create(self) -> str:
        """The run's DATABASE_URL ("" for SQLite)."""
        if self.kind != "postgres":
            return ""
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True
        return _with_database(self.server, self.name)

    def drop(self) -> None:
        if self.created:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False


class TaskWorker:
    """`manage.py worker` (the task queue) in the benchmark's environment."""

    def __init__(self, env: dict):
        self.env = env
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> "TaskWorker":
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.5", "--verbosity", "0"],
            cwd=ROOT,
            env=self.env,
        )
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


NAMES = """
import random
import django
django.setup()
from shop.models import System

rng = random.Random({seed})
made_up = list(System.objects.filter(is_demo=True).values_list("pk", flat=True))
real = list(System.objects.filter(is_demo=False).values_list("pk", flat=True))
chosen = rng.sample(made_up, min({count}, len(made_up))) + rng.sample(real, min(10, len(real)))
systems = System.objects.select_related("manufacturer").filter(pk__in=chosen)
for number, system in enumerate(systems):
    print(str(system) if number % 4 == 0 else system.name)
"""


def catalog_names(env: dict, *, count: int, seed: int = 1) -> list[str]:
    """Names of `count` made-up machines and ten real ones of the catalog, picked at
    random: most as the model alone ("ThinkPad T460p"), one in four with the maker."""
    output = snippet_output(NAMES.format(seed=seed, count=count), env)
    return [line for line in output.splitlines() if line.strip()]


def typed_queries(names: list[str]) -> list[str]:
    """What the finder asks while each name is typed letter by letter (as finder.js
    does: trimmed, from two characters)."""
    queries = []
    for name in names:
        for end in range(SUGGESTIONS_FROM, len(name) + 1):
            typed = name[:end].strip()
            if len(typed) >= SUGGESTIONS_FROM and (not queries or queries[-1] != typed):
                queries.append(typed)
    return queries


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _milliseconds(browser: Browser, path: str) -> tuple[float, str]:
    started = time.perf_counter()
    status, _location, body = browser.request("GET", path, path.partition("?")[0])
    milliseconds = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return milliseconds, body


def suggestions_report(port: int, queries: list[str]) -> int:
    """Ask for every query in turn, as one shopper typing; print p50/p95 of all of them
    and of the queries asked for the first time (on SQLite, not yet in the catalog
    cache), beside the hello-world view asked the same way (the floor on a busy
    machine). Returns the number of figures below target."""
    browser = Browser(port, timeout=30)
    seen, every, first, hello = set(), [], [], []
    empty = 0
    for number, query in enumerate(queries):
        if number % 10 == 0:
            hello.append(_milliseconds(browser, HELLO_PATH)[0])
        path = f"{SUGGESTIONS_PATH}?{urllib.parse.urlencode({'q': query})}"
        milliseconds, body = _milliseconds(browser, path)
        empty += '"systems": []' in body
        every.append(milliseconds)
        if query not in seen:
            first.append(milliseconds)
            seen.add(query)
    print(
        f"\nFinder suggestions over HTTP: {len(queries)} requests typing {len(seen)} "
        f"different queries letter by letter ({empty} answered no system)"
    )
    failed = 0
    for label, values in (("every request", every), ("first time asked", first)):
        p50, p95 = _percentile(values, 0.50), _percentile(values, 0.95)
        ok = p95 < SUGGESTIONS_P95_MS
        failed += not ok
        print(
            f"  {label:18} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {max(values):6.1f} ms"
            f"  target p95 < {SUGGESTIONS_P95_MS:.0f} ms {verdict(ok)}"
        )
    floor = f"p50 {_percentile(hello, 0.5):.1f} ms, p95 {_percentile(hello, 0.95):.1f} ms"
    print(
        f"  (all requests: mean {statistics.fmean(every):.1f} ms; the hello-world view asked "
        f"the same way: {floor})"
    )
    return failed


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc/<pid>/status (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def children(pid: int) -> list[int]:
    """The direct child processes of `pid` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
    return sorted(found)


def memory_report(gunicorn_pid: int, worker_pid: int) -> int:
    """Print the resident memory of each gunicorn worker and of the task worker."""
    processes = [(f"gunicorn worker {pid}", pid) for pid in children(gunicorn_pid)]
    processes.append((f"task worker {worker_pid}", worker_pid))
    print("\nResident memory after the run (VmRSS):")
    failed = 0
    for label, pid in processes:
        megabytes = rss_mb(pid)
        ok = megabytes < RSS_LIMIT_MB
        failed += not ok
        print(f"  {label:26} {megabytes:6.1f} MB  target < {RSS_LIMIT_MB:.0f} MB {verdict(ok)}")
    return failed


def load_report(seconds: float) -> int:
    ok = seconds < LOAD_LIMIT_SECONDS
    print(f"  load time target < {LOAD_LIMIT_SECONDS:.0f} s {verdict(ok)}")
    return 0 if ok else 1


def after_pages(env: dict, server, worker: "TaskWorker", *, typed_names: int) -> int:
    """The suggestions, typed over HTTP, then the memory of every process; the number
    of figures below target."""
    queries = typed_queries(catalog_names(env, count=typed_names))
    failed = suggestions_report(server.port, queries)
    return failed + memory_report(server.process.pid, worker.pid)


def shut_down(worker: "TaskWorker | None", database: BenchDatabase) -> None:
    if worker is not None:
        worker.stop()
    database.drop()
