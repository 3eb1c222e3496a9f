"""Prometheus metrics, read over HTTP as a scraper reads them: who may read them, what
they count, and that nothing personal is in them after a customer's whole journey."""

import datetime

import prometheus_client
import pytest
import time_machine
from prometheus_client.core import GaugeMetricFamily

from privacy.models import PrivacyRequest
from shop.models import OrderStatus
from shop.tests.factories_orders import OrderFactory, PaymentFactory
from tests.test_raw_database import START, M, _client, lifecycle

pytestmark = pytest.mark.django_db


def scrape(client, **headers):
    return client.get("/metrics", **headers)


def sample(text: str, name: str, labels: str = "") -> float:
    prefix = f"{name}{{{labels}}} " if labels else f"{name} "
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    assert lines, f"no sample {prefix!r}"
    return float(lines[0].removeprefix(prefix))


@pytest.fixture
def production_access(settings):
    settings.OFFTEK_METRICS_TOKEN = "scrape-token-0123456789"
    settings.OFFTEK_METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    return settings


def test_metrics_are_hidden_from_anyone_but_the_scraper(client, production_access):
    assert scrape(client, REMOTE_ADDR="203.0.113.9").status_code == 404
    assert scrape(client, REMOTE_ADDR="127.0.0.1").status_code == 404
    wrong = scrape(client, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 404
    token = scrape(
        client, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789"
    )
    assert token.status_code == 200
    assert scrape(client, REMOTE_ADDR="10.20.3.4").status_code == 200


def test_requests_latency_and_database_are_counted_by_view(client):
    client.get("/en/")
    text = scrape(client).text
    assert 'view="shop:home"' in text
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert "django_db_execute_total" in text


def test_the_shops_own_gauges_count_what_the_database_holds(client):
    OrderFactory(status=OrderStatus.HELD_FOR_REVIEW)
    OrderFactory(status=OrderStatus.HELD_FOR_REVIEW)
    paid = OrderFactory(status=OrderStatus.PAID)
    PaymentFactory(order=paid, status="failed")
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)):
        PrivacyRequest.objects.create(
            reference="PR-OVERDUE", kind="access", email="x@example.org", message="m",
            status="open", due_date=datetime.date(2026, 2, 1),
        )  # fmt: skip
        text = scrape(client).text
    assert sample(text, "offtek_orders_held") == 2
    assert sample(text, "offtek_orders", 'status="held_for_review"') == 2
    assert sample(text, "offtek_orders", 'status="paid"') == 1
    assert sample(text, "offtek_payments_failed") == 1
    assert sample(text, "offtek_privacy_requests_overdue") == 1
    assert sample(text, "offtek_task_queue_waiting") == 0


def personal_markers(order) -> list[str]:
    return [value for value in M.values() if value] + [order.number]


def answers(client) -> str:
    return "\n".join(
        client.get(path, REMOTE_ADDR="127.0.0.1").text
        for path in ("/healthz/", "/readyz/", "/metrics")
    )


def test_no_personal_data_in_health_or_metrics_after_a_whole_journey(
    raw_settings, django_capture_on_commit_callbacks
):
    customer = _client()
    with time_machine.travel(START, tick=True):
        order = lifecycle(customer, django_capture_on_commit_callbacks)
        text = answers(_client())
    assert "offtek_orders" in text and '"ready": true' in text
    found = [marker for marker in personal_markers(order) if marker.lower() in text.lower()]
    assert found == []


class PlantedCollector:
    """A defect on purpose: a label that carries a customer's e-mail address."""

    def collect(self):
        gauge = GaugeMetricFamily("offtek_planted", "control", labels=["customer"])
        gauge.add_metric([M["email"]], 1)
        yield gauge


def test_control_a_marker_planted_in_a_metric_label_is_found(
    raw_settings, django_capture_on_commit_callbacks
):
    customer = _client()
    planted = PlantedCollector()
    prometheus_client.REGISTRY.register(planted)
    try:
        with time_machine.travel(START, tick=True):
            order = lifecycle(customer, django_capture_on_commit_callbacks)
            text = answers(_client())
    finally:
        prometheus_client.REGISTRY.unregister(planted)
    found = [marker for marker in personal_markers(order) if marker.lower() in text.lower()]
    assert found == [M["email"]]
