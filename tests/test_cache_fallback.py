"""Redis is a cache, not a single point of failure: with CACHE_URL=redis://... and no
Redis answering, the cache works from the database cache table (offtek/cache.py), so
sessions and rate limits go on. Redis going down and coming back, under gunicorn, is in
tests/faults/test_redis_faults.py."""

import threading
import time

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse

from bench.server import free_port
from privacy.models import CacheEntry
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The production layout (offtek/settings.py with CACHE_URL=redis://...) with
    nothing listening at Redis's address."""
    keyed = settings.CACHE_KEY_FUNCTION
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "offtek.cache.RedisWithFallbackCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"FALLBACK": "fallback"},
            "KEY_FUNCTION": keyed,
        },
        "fallback": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "offtek_cache",
            "KEY_FUNCTION": keyed,
        },
    }
    call_command("createcachetable", verbosity=0)
    return caches["default"]


def test_the_cache_works_from_the_database_while_redis_is_down(redis_down):
    started = time.monotonic()
    redis_down.set("rl:counter", 1, 60)
    assert redis_down.incr("rl:counter") == 2
    assert redis_down.add("rl:counter", 5) is False
    assert redis_down.get_many(["rl:counter", "missing"]) == {"rl:counter": 2}
    redis_down.delete("rl:counter")
    assert redis_down.get("rl:counter") is None
    # Redis's copy, if it has one, must go when Redis is back: the deletion is remembered.
    assert CacheEntry.objects.filter(cache_key__endswith="#deleted").count() == 1
    assert time.monotonic() - started < 2  # a refused connection is not waited on
    redis_down.set("rl:kept", "x", 60)
    assert CacheEntry.objects.filter(cache_key__contains=":rl:").count() == 2  # and a tombstone
    redis_down.clear()
    assert list(CacheEntry.objects.values_list("cache_key", flat=True)) == ["#cleared#deleted"]


def test_a_deletion_meant_for_redis_alone_leaves_the_database_untouched(redis_down):
    """What must not join a database transaction (a customer's page token, deleted
    at once and again after the commit) is deleted in Redis or not at all."""
    assert redis_down.delete_many_in_redis(["customer-pages:1"]) is False
    assert not CacheEntry.objects.exists()
    redis_down.delete_many(["customer-pages:1"])  # the deletion after the commit
    assert CacheEntry.objects.filter(cache_key__endswith="#deleted").count() == 1


def test_a_customer_stays_signed_in_while_redis_is_down(redis_down, client):
    customer = UserFactory(email="signed.in@example.com")
    client.force_login(customer)
    for _page in range(2):
        page = client.get(reverse("privacy:account-detail"))
        assert page.status_code == 200
        assert "signed.in@example.com" in page.text
    # The session came from the database cache table (or the database on a miss).
    assert CacheEntry.objects.exists()


def test_sign_in_rate_limits_count_while_redis_is_down(redis_down, client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    customer = UserFactory(email="limited@example.com")
    url = reverse("account_login")
    for _attempt in range(3):
        client.post(url, {"login": customer.email, "password": "wrong-password"})
    page = client.post(url, {"login": customer.email, "password": "wrong-password"})
    assert "Too many failed login attempts" in page.text


@pytest.mark.django_db(transaction=True)
def test_two_processes_deleting_one_key_while_redis_is_down_both_succeed(redis_down):
    """Two app servers delete the same key during an outage, the first inside a
    transaction not yet committed: the second waits for it and succeeds; one
    tombstone is left."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite takes one writer at a time: the race is PostgreSQL's")
    key = "customer-pages:1"
    first_wrote, first_may_commit = threading.Event(), threading.Event()
    failures = []

    def first():
        try:
            with transaction.atomic():
                redis_down.delete(key)
                first_wrote.set()
                first_may_commit.wait(10)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            first_wrote.set()
            connections.close_all()

    def second():
        try:
            redis_down.delete(key)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_wrote.wait(10)
    threads[1].start()
    time.sleep(0.5)  # the second is waiting for the first's row
    first_may_commit.set()
    for thread in threads:
        thread.join(20)
    assert failures == []
    assert CacheEntry.objects.filter(cache_key__endswith="#deleted").count() == 1
