"""Helpers for the tests that prove a row lock on PostgreSQL: racers in their own
threads (each with its own database connection), released at the same instant, and a
rendezvous that holds each racer at a chosen point until the other has reached it too,
so that without the lock the race is lost every time rather than by chance.

Tests that need PostgreSQL carry ``pytest.mark.postgres``; the project's conftest skips
them on another database."""

import contextlib
import threading

from django.db import connection
from django.db.models.signals import post_init

RACER = "racer-"


def racer_start(function, results, key, *, before=None) -> threading.Thread:
    """Run ``function`` in a racer thread; its result (or the exception it raised, for
    the test to inspect) goes to ``results[key]``."""

    def worker():
        try:
            if before is not None:
                before()
            results[key] = function()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[key] = error
        finally:
            connection.close()

    thread = threading.Thread(target=worker, name=f"{RACER}{key}")
    thread.start()
    return thread


def run_together(functions) -> list:
    """Run each function in its own racer thread, all released at the same instant;
    their results (or exceptions) in order."""
    start = threading.Barrier(len(functions))
    results: list = [None] * len(functions)
    threads = [
        racer_start(function, results, index, before=lambda: start.wait(timeout=10))
        for index, function in enumerate(functions)
    ]
    for thread in threads:
        thread.join(timeout=30)
    return results


def rendezvous(racers: int = 2):
    """A function each racer calls where it should wait for the others (for 1 s at most:
    with a row lock, the other is still waiting in PostgreSQL). Other threads (the
    test's own) pass straight through."""
    barrier = threading.Barrier(racers)

    def meet():
        if threading.current_thread().name.startswith(RACER):
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=1)

    return meet


@contextlib.contextmanager
def racers_meet_at(model):
    """Hold each racer as it builds a ``model`` instance (reads a row of it) until the
    other gets there too."""
    meet = rendezvous()

    def hold(sender, instance, **kwargs):
        meet()

    post_init.connect(hold, sender=model, weak=False)
    try:
        yield
    finally:
        post_init.disconnect(hold, sender=model)
