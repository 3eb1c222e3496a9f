"""The shop's whole production stack on 127.0.0.1, for fault injection: a throwaway
PostgreSQL cluster, a redis-server, a local mail server, gunicorn and the task worker,
each on a free port under one temporary folder, each stopped, killed or restarted on
demand. Used by tests/faults/ and bench/faults.py (and bench/cluster.py for the first
two).

    with Stack(workdir, shoppers=6) as stack:      # prepared database, everything up
        stack.postgres.restart()                   # fast stop, start
        stack.redis.pause() / .resume() / .stop() / .start()
        stack.mail.hold() / .release() / .hang() / .down() / .up()
        stack.worker.kill(); stack.worker.start()
        stack.sql("select count(*) from shop_order")

Needs Debian's PostgreSQL binaries (/usr/lib/postgresql/*/bin), redis-server and the
aiosmtpd package (requirements-dev.txt)."""

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.server import ROOT, Gunicorn, free_port


def postgres_binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return found[-1] if found else None


def missing_binaries() -> list[str]:
    """The services this machine cannot start."""
    missing = [] if postgres_binaries() else ["PostgreSQL (/usr/lib/postgresql/*/bin)"]
    return missing + [name for name in ("redis-server",) if not shutil.which(name)]


class Postgres:
    """A PostgreSQL cluster of its own (trust authentication, fsync off)."""

    def __init__(self, workdir: Path):
        self.bin = postgres_binaries()
        self.workdir = workdir
        self.data = workdir / "pg"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def server_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _pg_ctl(self, *arguments: str) -> None:
        subprocess.run(
            [*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), *arguments],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        if not self.data.exists():
            self.workdir.chmod(0o777)
            subprocess.run(
                [*self.as_postgres, str(self.bin / "initdb"), "-D", str(self.data)]
                + ["-A", "trust", "-U", "postgres"],
                check=True,
                capture_output=True,
            )
        options = (
            f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=100"
        )
        self._pg_ctl("-l", str(self.workdir / "pg.log"), "-w", "-t", "120", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "-w", "stop")

    def restart(self) -> None:
        """What an operator's restart does: fast stop (every session cut), then start."""
        self.stop("fast")
        self.start()

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"{self.server_url}/{name}"


class RedisServer:
    """A redis-server without persistence on a port that stays the same across restarts."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while not self.answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def pause(self) -> None:
        """Redis hangs: connections are accepted by the kernel, nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class MailServer:
    """A local SMTP server (aiosmtpd) that records what it accepted, and can hold every
    message before accepting it, hang (a socket that accepts and never answers) or be
    down (nothing listening). A message counts as received once the server said 250;
    a client gone before that delivered nothing."""

    def __init__(self):
        self.port = free_port()
        self.received: list[tuple[tuple[str, ...], str]] = []  # (recipients, subject)
        self.held = 0  # messages waiting in hold() right now
        self._holding = threading.Event()
        self._controller = None
        self._silent: socket.socket | None = None

    def up(self) -> None:
        from aiosmtpd.controller import Controller

        self._close()
        self._controller = Controller(_Recorder(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def down(self) -> None:
        self._close()

    def hang(self) -> None:
        self._close()
        self._silent = socket.socket()
        self._silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._silent.bind(("127.0.0.1", self.port))
        self._silent.listen(64)  # the kernel accepts; no one ever answers

    def hold(self) -> None:
        self._holding.set()

    def release(self) -> None:
        self._holding.clear()

    def recipients(self) -> list[str]:
        return [address for recipients, _subject in self.received for address in recipients]

    def _close(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._silent is not None:
            self._silent.close()
            self._silent = None


class _Recorder:
    def __init__(self, mail: MailServer):
        self.mail = mail

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.mail.held += 1
        try:
            while self.mail._holding.is_set():
                await asyncio.sleep(0.05)
        finally:
            self.mail.held -= 1
        if server.transport is None or server.transport.is_closing():
            return "421 client gone"  # never acknowledged: not delivered
        subject = ""
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("subject:"):
                subject = line.split(":", 1)[1].strip()
                break
        self.mail.received.append((tuple(envelope.rcpt_tos), subject))
        return "250 Message accepted for delivery"


class TaskWorker:
    """`manage.py worker` in a process of its own."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--no-startup-delay"]
                + ["--interval", "0.2", "--verbosity", "1"],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class Stack:
    """Every service of the production layout, prepared with the load benchmark's
    catalog and `shoppers` signed-in customers (bench/load.py)."""

    def __init__(
        self, workdir: Path, *, shoppers: int = 6, gunicorn_workers: int = 2, modules: int = 40
    ):
        self.workdir = workdir
        self.shoppers, self.gunicorn_workers, self.modules = shoppers, gunicorn_workers, modules
        self.postgres = Postgres(workdir)
        self.redis = RedisServer(workdir)
        self.mail = MailServer()
        self.gunicorn: Gunicorn | None = None
        self.worker: TaskWorker | None = None
        self.catalog: dict = {}
        self.env: dict = {}

    def start(self) -> "Stack":
        from bench.load import environment

        self.postgres.start()
        self.redis.start()
        self.mail.up()
        database_url = self.postgres.create_database("offtek_faults")
        self.env = {
            **environment(database_url, str(self.workdir / "static"), self.redis.url),
            "EMAIL_URL": f"smtp://127.0.0.1:{self.mail.port}",
            "TASKS_WORKER_TIMEOUT": "3",
            # The outbox's clocks on the scale of a test: a mail server's answer waited
            # for 5 s, a killed worker's claim taken over after 15 s (always longer than
            # that wait, so a slow send is never sent twice), a retry after 3 s, 6 s...
            "EMAIL_TIMEOUT": "5",
            "OUTBOX_CLAIM_SECONDS": "15",
            "EMAIL_RETRY_SECONDS": "3",
            "SMS_RETRY_SECONDS": "3",
            "BENCH_STATIC_FROM_APPS": "on",
            "LOG_LEVEL": "WARNING",
        }
        prepared = subprocess.run(
            [sys.executable, "-m", "bench.stack", "prepare", "--shoppers", str(self.shoppers)]
            + ["--modules", str(self.modules)],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        self.catalog = json.loads(prepared.stdout.strip().splitlines()[-1])
        self.gunicorn = Gunicorn(
            self.env, workers=self.gunicorn_workers, log=self.workdir / "gunicorn.log"
        ).start()
        self.worker = TaskWorker(self.env, self.workdir / "worker.log")
        self.worker.start()
        return self

    def stop(self) -> None:
        for stop in (
            lambda: self.worker and self.worker.stop(),
            lambda: self.gunicorn and self.gunicorn.stop(30),
            self.mail.down,
            self.redis.stop,
            lambda: self.postgres.stop("immediate"),
        ):
            try:
                stop()
            except Exception as error:  # noqa: BLE001 - every service must be stopped
                print(f"while stopping the stack: {error!r}", file=sys.stderr)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()

    def sql(self, query: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(f"{self.postgres.server_url}/offtek_faults") as connection:
            return connection.execute(query, params).fetchall()

    def worker_log(self) -> str:
        return (self.workdir / "worker.log").read_text(errors="replace")

    def gunicorn_log(self) -> str:
        return (self.workdir / "gunicorn.log").read_text(errors="replace")

    def server_errors(self) -> int:
        """Tracebacks and 'Internal Server Error' lines in gunicorn's log so far."""
        text = self.gunicorn_log()
        return text.count("Internal Server Error") + text.count("Traceback (most recent call")

    def wait_for(self, condition, seconds: float, every: float = 0.2) -> bool:
        """Poll `condition` until it holds or `seconds` pass; whether it held."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(every)
        return bool(condition())


def _prepare(arguments: list[str]) -> None:
    """In the stack's environment: migrate, the load benchmark's catalog and customers;
    prints what the shoppers need as JSON."""
    import argparse

    from bench import load

    parser = argparse.ArgumentParser()
    parser.add_argument("--shoppers", type=int, default=6)
    parser.add_argument("--modules", type=int, default=40)
    options = parser.parse_args(arguments)
    for name, value in {"systems": 10, "scarce": 4, "seed": 1}.items():
        setattr(options, name, value)
    catalog = load.prepare(options)
    catalog["initial_stock"] = {str(k): v for k, v in catalog["initial_stock"].items()}
    print(json.dumps(catalog))


if __name__ == "__main__" and sys.argv[1:2] == ["prepare"]:
    _prepare(sys.argv[2:])
