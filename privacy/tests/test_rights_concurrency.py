"""Races between an export and the closure of the same account (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, transaction

from privacy.models import ErasureReceipt, SecurityEvent, SecurityEventKind
from privacy.rights.erasure import account_close
from privacy.rights.export import ExportRefused, export_build
from privacy.tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL (set DATABASE_URL)")


def _in_thread(function, results, key):
    def worker():
        try:
            results[key] = function()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[key] = error
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    return thread


def test_an_export_started_during_the_closure_waits_and_is_refused():
    user = UserFactory()
    results, closing = {}, threading.Event()
    release = threading.Event()

    def close_and_hold():
        with transaction.atomic():
            account_close(user=user)
            closing.set()
            release.wait(timeout=10)  # the closure's transaction is still open

    closer = _in_thread(close_and_hold, results, "close")
    assert closing.wait(timeout=10)
    exporter = _in_thread(lambda: export_build(user=user), results, "export")
    exporter.join(timeout=1)
    assert exporter.is_alive()  # waiting for the closure's row lock
    release.set()
    closer.join(timeout=10)
    exporter.join(timeout=10)
    assert isinstance(results["export"], ExportRefused)
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).exists()


def test_two_closures_at_once_make_one_receipt():
    user = UserFactory()
    results, barrier = {}, threading.Barrier(2)

    def close():
        barrier.wait(timeout=10)
        return account_close(user=user)

    threads = [_in_thread(close, results, key) for key in ("a", "b")]
    for thread in threads:
        thread.join(timeout=20)
    outcomes = sorted(type(value).__name__ for value in results.values())
    assert outcomes == ["AccountAlreadyClosed", "ClosureResult"]
    assert ErasureReceipt.objects.count() == 1
