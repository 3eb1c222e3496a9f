"""Prometheus metrics at ``/metrics``.

django-prometheus counts requests, latency, database queries and errors by view,
method and status; the shop and the privacy app add gauges of their own (orders per
status, failed payments, held orders, overdue privacy requests) and this module adds
the task queue's depth. Every label takes its values from a fixed list (statuses,
views, methods): no label ever holds a customer's data or anything they typed.

Only a scraper may read it: in production a request needs ``OFFTEK_METRICS_TOKEN``
(``Authorization: Bearer ...``) or an address in ``OFFTEK_METRICS_ALLOWED_NETWORKS``;
anyone else gets a 404. Under gunicorn set ``PROMETHEUS_MULTIPROC_DIR`` so counters
from every worker are added up.
"""

import hmac
import ipaddress
import os

import prometheus_client
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from privacy.accounts.services import request_client
from privacy.metrics import PrivacyCollector
from shop.metrics import ShopCollector


class TaskQueueCollector:
    """Tasks waiting in the database queue and the age of the oldest."""

    def collect(self):
        depth = GaugeMetricFamily(
            "offtek_task_queue_waiting", "Tasks waiting to run in the database queue"
        )
        age = GaugeMetricFamily(
            "offtek_task_queue_oldest_wait_seconds", "How long the oldest waiting task has waited"
        )
        waiting, oldest = 0, None
        if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
            from django_tasks_db.models import DBTaskResult

            now = timezone.now()
            ready = DBTaskResult.objects.ready().filter(run_after__lte=now)
            waiting = ready.count()
            first = ready.order_by("run_after").values_list("run_after", flat=True).first()
            oldest = (now - first).total_seconds() if first else 0
        depth.add_metric([], waiting)
        age.add_metric([], oldest or 0)
        yield depth
        yield age


COLLECTORS = (ShopCollector, PrivacyCollector, TaskQueueCollector)
_registered = []


def _registry():
    """The registry to export: this process's (with the apps' collectors, registered
    once), or, under PROMETHEUS_MULTIPROC_DIR, one that adds up every worker's."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        for collector in COLLECTORS:
            registry.register(collector())
        return registry
    if not _registered:
        for collector in COLLECTORS:
            prometheus_client.REGISTRY.register(collector())
        _registered.append(True)
    return prometheus_client.REGISTRY


def scraper_allowed(request) -> bool:
    token = settings.OFFTEK_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    address, _agent = request_client(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net) for net in settings.OFFTEK_METRICS_ALLOWED_NETWORKS)


@never_cache
def metrics(request):
    if not scraper_allowed(request):
        raise Http404
    body = prometheus_client.generate_latest(_registry())
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
