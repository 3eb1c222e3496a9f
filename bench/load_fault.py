"""The faults of bench/load.py --fault.

SIGKILL a gunicorn worker in the middle of a checkout. The victim is the worker whose
database connection is inside a transaction on orders, payments or stock at that
moment (found through pg_stat_activity's client port and the worker's open sockets),
so the kill lands while it holds row locks; when no such worker is seen within a few
seconds, a worker chosen at random.

Run the abandoned-order release while shoppers are still paying, with a short age, so
some orders are cancelled under a shopper's card form or 3-D Secure page and their
payment then succeeds late (the shop must take the stock again or give the money
back)."""

import os
import random
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

IN_CHECKOUT = """
    select client_port from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()
      and xact_start is not null
      and (query ilike '%%shop_order%%' or query ilike '%%shop_payment%%'
           or query ilike '%%shop_module%%for update%%')
"""


@dataclass
class Kill:
    pid: int
    in_checkout: bool


def workers_of(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def _socket_inodes_by_local_port() -> dict[int, str]:
    inodes = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            inodes[int(fields[1].rsplit(":", 1)[1], 16)] = fields[9]
    return inodes


def _worker_with_port(workers: list[int], ports: set[int]) -> int | None:
    wanted = {inode for port, inode in _socket_inodes_by_local_port().items() if port in ports}
    for pid in workers:
        try:
            links = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
        except OSError:
            continue  # exited meanwhile
        if any(f"socket:[{inode}]" in links for inode in wanted):
            return pid
    return None


def kill_workers(server, database_url: str, stop_at: float, every: float, kills: list) -> None:
    """Every `every` seconds until `stop_at`, SIGKILL one worker (see the module's doc)."""
    rng = random.Random(7)
    with psycopg.connect(database_url, autocommit=True) as connection:
        while time.monotonic() + every < stop_at:
            time.sleep(every)
            victim, in_checkout = None, False
            give_up = time.monotonic() + 5
            while victim is None and time.monotonic() < give_up:
                ports = {row[0] for row in connection.execute(IN_CHECKOUT) if row[0]}
                victim = _worker_with_port(workers_of(server), ports) if ports else None
                in_checkout = victim is not None
                time.sleep(0.02)
            workers = workers_of(server)
            victim = victim or (rng.choice(workers) if workers else None)
            if victim:
                os.kill(victim, signal.SIGKILL)
                kills.append(Kill(victim, in_checkout))


def release_while_paying(stop_at: float, every: float, older_than: float, released: list) -> None:
    """Every `every` seconds until `stop_at`, cancel orders awaiting payment for more
    than `older_than` seconds, as the shop's release_abandoned_orders would."""
    from datetime import timedelta

    from django.db import connection

    from shop.orders.reservations import reservations_release_expired

    try:
        while time.monotonic() + every < stop_at:
            time.sleep(every)
            released.append(reservations_release_expired(older_than=timedelta(seconds=older_than)))
    finally:
        connection.close()
