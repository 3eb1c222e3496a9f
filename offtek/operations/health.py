"""Liveness and readiness probes for a load balancer or an orchestrator.

``/healthz/`` answers 200 as long as the process can serve a request (no database,
no cache: a dead dependency must not get a healthy process restarted). ``/readyz/``
runs django-health-check's database check plus the shop's own: the shared cache, the
task queue's backlog and its oldest waiting task, the key canary, and migrations
applied. When one fails it answers 503 and names the failing part; a load balancer
then stops sending customers to this server until it is ready again.
"""

import dataclasses
import datetime
import inspect
import logging
import os
import uuid

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.exceptions import HealthCheckException, ServiceUnavailable

from privacy.canary import canary_opens
from privacy.encryption import key_material_current
from privacy.rights.journal import journal_dir

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The database task queue: how many tasks wait, and how long the oldest has
    waited. A backlog older than ``OFFTEK_READY_QUEUE_MAX_AGE`` seconds means no worker
    is taking tasks (e-mails, text messages, releases of unpaid orders' stock)."""

    def run(self):
        backend = settings.TASKS["default"]["BACKEND"]
        if not backend.startswith("django_tasks_db"):
            return  # immediate tasks in development: there is no queue to wait in
        from django_tasks_db.models import DBTaskResult

        now = timezone.now()
        try:
            oldest = (
                DBTaskResult.objects.ready()
                .filter(run_after__lte=now)
                .order_by("run_after")
                .values_list("run_after", flat=True)
                .first()
            )
        except DatabaseError as error:
            raise ServiceUnavailable("task queue unreadable") from error
        limit = datetime.timedelta(seconds=settings.OFFTEK_READY_QUEUE_MAX_AGE)
        if oldest is not None and now - oldest > limit:
            waited = int((now - oldest).total_seconds())
            raise ServiceUnavailable(f"oldest waiting task has waited {waited} s")


class Cache(HealthCheck):
    """The shared cache takes a value and gives it back (a key of its own per probe, so
    servers probing at once never read each other's). django-health-check's probe does
    the same asynchronously; this view is synchronous, and a thread that already runs an
    event loop (an ASGI server's, a browser test's) cannot wait for it."""

    def run(self):
        key, value = f"readiness:{uuid.uuid4().hex}", uuid.uuid4().hex
        cache = caches["default"]
        try:
            cache.set(key, value, timeout=5)
            answered = cache.get(key)
            cache.delete(key)
        except Exception as error:  # any backend's failure: Redis, database, memcached
            raise ServiceUnavailable(f"cache unreachable ({error.__class__.__name__})") from error
        if answered != value:
            raise ServiceUnavailable("cache did not give back what it took")


@dataclasses.dataclass
class KeyCanary(HealthCheck):
    """The configured keys open the canary written at migrate time."""

    def run(self):
        if canary_opens(key_material_current().cipher()) is False:
            raise ServiceUnavailable("the keys cannot open the key canary")


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration in the code is applied to the database."""

    def run(self):
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            raise ServiceUnavailable("migration state unreadable") from error
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migrations not applied")


@dataclasses.dataclass
class ErasureJournal(HealthCheck):
    """The erasure journal's directory can be written (privacy/rights/journal.py)."""

    def run(self):
        directory = journal_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ServiceUnavailable("erasure journal directory cannot be created") from error
        if not os.access(directory, os.W_OK):
            raise ServiceUnavailable("erasure journal directory is not writable")


CHECKS = (Database, Cache, TaskQueue, KeyCanary, Migrations, ErasureJournal)


@never_cache
def liveness(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def _check_error(check) -> str:
    """What is wrong with one part, or "" when it is fine. Each check runs in the
    request's own thread (and database connection), one after the other."""
    try:
        if inspect.iscoroutinefunction(check.run):
            async_to_sync(check.run)()
        else:
            check.run()
    except HealthCheckException as error:
        return str(error)
    except Exception:
        logger.exception("Readiness check %s failed unexpectedly", check.__class__.__name__)
        return "unknown error"
    return ""


@never_cache
def readiness(request):
    """JSON, one entry per part; 503 with the failing parts named when not ready."""
    parts = {}
    for check in (check_class() for check_class in CHECKS):
        parts[check.__class__.__name__] = _check_error(check) or "ok"
    failing = sorted(name for name, state in parts.items() if state != "ok")
    return JsonResponse(
        {"ready": not failing, "failing": failing, "parts": parts},
        status=503 if failing else 200,
    )
