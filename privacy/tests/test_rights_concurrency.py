"""Races between an export and the closure of the same account (PostgreSQL row locks)."""

import threading

import pytest
from django.db import transaction

from privacy.models import ErasureReceipt, SecurityEvent, SecurityEventKind
from privacy.rights.erasure import account_close
from privacy.rights.export import ExportRefused, export_build
from privacy.tests.factories import UserFactory
from privacy.tests.races import racer_start, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_export_started_during_the_closure_waits_and_is_refused():
    user = UserFactory()
    results, closing = {}, threading.Event()
    release = threading.Event()

    def close_and_hold():
        with transaction.atomic():
            account_close(user=user)
            closing.set()
            release.wait(timeout=10)  # the closure's transaction is still open

    closer = racer_start(close_and_hold, results, "close")
    assert closing.wait(timeout=10)
    exporter = racer_start(lambda: export_build(user=user), results, "export")
    exporter.join(timeout=1)
    assert exporter.is_alive()  # waiting for the closure's row lock
    release.set()
    closer.join(timeout=10)
    exporter.join(timeout=10)
    assert isinstance(results["export"], ExportRefused)
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).exists()


def test_two_closures_at_once_make_one_receipt():
    user = UserFactory()
    results = run_together([lambda: account_close(user=user)] * 2)
    outcomes = sorted(type(value).__name__ for value in results)
    assert outcomes == ["AccountAlreadyClosed", "ClosureResult"]
    assert ErasureReceipt.objects.count() == 1
