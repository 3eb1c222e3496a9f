"""Liveness and readiness, read over HTTP as a load balancer reads them: each part of
readiness is broken for real (a migration record removed, a task left waiting, the
wrong key, a cache server that is not there) and must be named in a 503."""

import datetime
import socket

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from privacy.tasks import email_deliver

pytestmark = pytest.mark.django_db


def readiness(client):
    response = client.get("/readyz/")
    return response.status_code, response.json()


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_ready_when_every_part_is(client):
    status, body = readiness(client)
    assert status == 200, body
    assert body["ready"] is True
    assert set(body["parts"]) == {
        "Database",
        "Cache",
        "TaskQueue",
        "KeyCanary",
        "Migrations",
        "ErasureJournal",
    }
    assert set(body["parts"].values()) == {"ok"}


def test_a_migration_not_applied_makes_it_not_ready_and_is_named(client):
    with connection.cursor() as cursor:
        # The newest migration of the shop, as after a deploy that forgot `migrate`.
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = "
            "(SELECT MAX(id) FROM django_migrations WHERE app = 'shop')"
        )
    status, body = readiness(client)
    assert status == 503
    assert body["failing"] == ["Migrations"]
    assert "not applied" in body["parts"]["Migrations"]


def test_a_task_waiting_too_long_makes_it_not_ready(client, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [], "OPTIONS": {}}
    }
    settings.OFFTEK_READY_QUEUE_MAX_AGE = 300
    email_deliver.enqueue(email_id=0)
    assert readiness(client)[0] == 200  # just queued: fine
    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(minutes=6))
    status, body = readiness(client)
    assert status == 503
    assert body["failing"] == ["TaskQueue"]
    assert "waited" in body["parts"]["TaskQueue"]


def test_a_wrong_encryption_key_makes_it_not_ready(client, settings):
    settings.CRYPTOGRAPHY_KEY = "the-wrong-key"
    status, body = readiness(client)
    assert status == 503
    assert body["failing"] == ["KeyCanary"]


def test_an_unreachable_cache_makes_it_not_ready(client, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    # Only the probe is asked: a page would need the cache for its session too.
    with override_settings(CACHES=unreachable):
        status, body = readiness(client)
    assert status == 503
    assert body["failing"] == ["Cache"]


def test_an_erasure_journal_that_cannot_be_written_makes_it_not_ready(client, settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the journal's directory should be")
    settings.OFFTEK_ERASURE_JOURNAL_DIR = str(blocked / "journal")
    status, body = readiness(client)
    assert status == 503
    assert body["failing"] == ["ErasureJournal"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ready_while_the_thread_runs_an_event_loop(client, live_server, page):
    """A thread that already runs an event loop (Playwright's here, an ASGI server's in
    production) cannot wait for an async probe: the readiness view's probes are sync."""
    page.goto(live_server.url + "/healthz/")
    status, body = readiness(client)
    assert (status, body["failing"]) == (200, [])
