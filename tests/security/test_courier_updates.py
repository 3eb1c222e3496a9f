"""Couriers' delivery updates: signature first (over a timestamp and the raw body),
then the replay window, then size, then JSON. Nothing unsigned is parsed, a deep body
never gives a 500, an old or replayed update is refused."""

import datetime
import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from shop.fulfilment.courier import MAX_BODY_BYTES, REPLAY_WINDOW_SECONDS, courier_signature
from shop.fulfilment.dispatch import order_dispatch
from shop.models import OrderStatus
from shop.tests.factories_orders import paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched():
    order = paid_order()
    order_dispatch(order=order, courier="dpd", tracking_number="T1")
    return order


def post(body: bytes, signature: str | None):
    headers = {"X-Offtek-Signature": signature} if signature is not None else {}
    return Client().post(
        reverse("courier-update"), body, content_type="application/json", headers=headers
    )


def delivered(order) -> bytes:
    return json.dumps(
        {"order": order.number, "tracking_number": "T1", "event": "delivered"}
    ).encode()


def test_a_fresh_signed_update_is_applied(dispatched):
    body = delivered(dispatched)
    assert post(body, courier_signature(body=body)).status_code == 200
    dispatched.refresh_from_db()
    assert dispatched.status == OrderStatus.DELIVERED


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_a_deeply_nested_unsigned_body_is_refused_before_parsing(dispatched, depth, monkeypatch):
    parsed = []
    monkeypatch.setattr(json, "loads", lambda *a, **k: parsed.append(a) or {})
    response = post(b"[" * depth + b"]" * depth, "t=1,v1=forged")
    assert response.status_code == 403
    assert parsed == []


def test_a_deeply_nested_signed_body_gets_400_not_500(dispatched):
    body = b"[" * 8_000 + b"]" * 8_000
    response = post(body, courier_signature(body=body))
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]


def test_a_signed_body_over_the_size_limit_is_refused_unparsed(dispatched):
    body = b'{"pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    assert post(body, courier_signature(body=body)).status_code == 413


@pytest.mark.parametrize("age", [REPLAY_WINDOW_SECONDS + 5, -(REPLAY_WINDOW_SECONDS + 5)])
def test_an_old_or_future_dated_update_is_refused(dispatched, age):
    body = delivered(dispatched)
    response = post(body, courier_signature(body=body, timestamp=int(time.time()) - age))
    assert response.status_code == 403
    dispatched.refresh_from_db()
    assert dispatched.status == OrderStatus.DISPATCHED


def test_a_replayed_update_is_refused(dispatched):
    body = delivered(dispatched)
    signature = courier_signature(body=body)
    assert post(body, signature).status_code == 200
    replay = post(body, signature)
    assert replay.status_code == 409
    assert dispatched.events.filter(to_status=OrderStatus.DELIVERED).count() == 1


@pytest.mark.parametrize(
    "signature",
    ["", "garbage", "t=abc,v1=00", "v1=00", "t=1", "t=99999999999999,v1=00"],
)
def test_malformed_signature_headers_are_refused(dispatched, signature):
    assert post(delivered(dispatched), signature).status_code == 403


def test_the_signature_covers_the_timestamp(dispatched):
    body = delivered(dispatched)
    old = courier_signature(body=body, timestamp=int(time.time()) - 3600)
    forged = f"t={int(time.time())}," + old.split(",", 1)[1]  # a new date on an old update
    assert post(body, forged).status_code == 403


def test_the_couriers_delivery_time_is_the_orders(dispatched):
    """The withdrawal period counts from it (shop.returns.period)."""
    when = dispatched.dispatched_at + datetime.timedelta(seconds=1)
    payload = {"order": dispatched.number, "tracking_number": "T1", "event": "delivered"}
    body = json.dumps({**payload, "delivered_at": when.isoformat()}).encode()
    assert post(body, courier_signature(body=body)).status_code == 200
    dispatched.refresh_from_db()
    assert (dispatched.status, dispatched.delivered_at) == (OrderStatus.DELIVERED, when)


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2026-07-01T10:00:00", "1999-01-01T00:00:00+00:00", "2999-01-01T00:00:00Z", 7],
)
def test_a_bad_delivery_time_is_refused_and_changes_nothing(dispatched, value):
    payload = {"order": dispatched.number, "tracking_number": "T1", "event": "delivered"}
    body = json.dumps({**payload, "delivered_at": value}).encode()
    response = post(body, courier_signature(body=body))
    assert response.status_code == 400 and "delivery time" in response.json()["error"]
    dispatched.refresh_from_db()
    assert dispatched.status == OrderStatus.DISPATCHED and dispatched.delivered_at is None
