"""Couriers' delivery updates, checked in this order: the signature (over a timestamp
and the raw body, before anything is parsed), the timestamp against a replay window,
the size, then the JSON. Nothing an unsigned sender posts is ever parsed.

Header: ``X-Offtek-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>``
with COURIER_WEBHOOK_SECRET. An update older (or newer) than the window, or one whose
signature was already used, is refused.
"""

import datetime
import hashlib
import hmac
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.consent.purposes import uses_personal_data
from shop.fulfilment.dispatch import order_deliver
from shop.models import Order, OrderStatus

REPLAY_WINDOW_SECONDS = 300
MAX_BODY_BYTES = 16 * 1024
CLOCK_SKEW = datetime.timedelta(minutes=5)


class CourierUpdateRefused(Exception):
    """The update is forged, stale, replayed, too large, malformed or does not match an
    order we dispatched. `status` is the HTTP answer."""

    def __init__(self, message, status: int = 403):
        super().__init__(message)
        self.status = status


def courier_signature(*, body: bytes, timestamp: int | None = None) -> str:
    """The header value a courier sends with `body` (now, unless `timestamp`)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(
        settings.COURIER_WEBHOOK_SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256
    )
    return f"t={stamp},v1={mac.hexdigest()}"


def _header_parts(header: str) -> tuple[int, str] | None:
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    stamp, mac = parts.get("t", ""), parts.get("v1", "")
    if not stamp.isdigit() or len(stamp) > 12 or not mac:
        return None
    return int(stamp), mac


def courier_update_verify(*, body: bytes, header: str) -> None:
    """Signature first, then the replay window; raises CourierUpdateRefused."""
    secret = settings.COURIER_WEBHOOK_SECRET
    parts = _header_parts(header or "")
    if not secret or parts is None:
        raise CourierUpdateRefused(_("The update's signature is not valid."))
    stamp, mac = parts
    expected = courier_signature(body=body, timestamp=stamp).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, mac):
        raise CourierUpdateRefused(_("The update's signature is not valid."))
    if abs(time.time() - stamp) > REPLAY_WINDOW_SECONDS:
        raise CourierUpdateRefused(_("The update is too old (or dated in the future)."))
    if not cache.add(f"courier-update:{mac}", True, timeout=2 * REPLAY_WINDOW_SECONDS):
        raise CourierUpdateRefused(_("This update was already received."), status=409)


def courier_update_parse(body: bytes) -> dict:
    """Size, then JSON: a signed body is still checked before it is trusted."""
    if len(body) > MAX_BODY_BYTES:
        raise CourierUpdateRefused(_("The update is too large."), status=413)
    try:
        payload = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        payload = None
    if not isinstance(payload, dict):
        raise CourierUpdateRefused(_("The update is not a JSON object."), status=400)
    return payload


def courier_update_receive(*, body: bytes, header: str) -> Order:
    courier_update_verify(body=body, header=header)
    return courier_update_apply(payload=courier_update_parse(body))


@uses_personal_data("orders", categories=["transaction"])
@transaction.atomic
def courier_update_apply(*, payload: dict) -> Order:
    """Apply a checked update: `{"order": number, "tracking_number": ..., "event":
    "delivered", "delivered_at": ISO 8601 with its offset (optional: now)}`."""
    if payload.get("event") != "delivered":
        raise CourierUpdateRefused(_("Only delivery updates are accepted."))
    order = Order.objects.filter(number=str(payload.get("order", ""))).first()
    tracking = str(payload.get("tracking_number", ""))
    if order is None or not tracking or order.tracking_number != tracking:
        raise CourierUpdateRefused(_("No dispatched order has this number and tracking number."))
    if order.status not in (OrderStatus.DISPATCHED, OrderStatus.DELIVERED):
        raise CourierUpdateRefused(_("This order is not on its way."))
    order_deliver(
        order=order,
        source=f"courier {order.courier}",
        delivered_at=_delivery_time(payload.get("delivered_at"), order),
    )
    return order


def _delivery_time(value, order: Order) -> datetime.datetime | None:
    """The courier's time of delivery: with an offset, after dispatch, not ahead."""
    if value is None:
        return None
    try:
        when = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise CourierUpdateRefused(
            _("The delivery time is not an ISO 8601 date and time with its offset."), status=400
        )
    earliest = order.dispatched_at or order.created_at
    if not earliest <= when <= timezone.now() + CLOCK_SKEW:
        raise CourierUpdateRefused(
            _("The delivery time is before dispatch or in the future."), status=400
        )
    return when
