"""How much stock one customer, or one network, may hold in unpaid orders at once
(rules as data, read from settings). The end of a reservation is in
shop.orders.reservations; its scheduling in shop.checkout.tasks."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from shop.models import Order, OrderLine, OrderStatus
from shop.orders.reservations import reservations_release_expired


@dataclass(frozen=True)
class HoldLimit:
    """At most `orders` unpaid orders holding at most `units` modules in all."""

    orders: int
    units: int


def hold_limits() -> dict[str, HoldLimit]:
    """Per signed-in customer and per network (the keyed hash of the client IP)."""
    return {
        "customer": HoldLimit(*settings.SHOP_UNPAID_LIMIT_PER_CUSTOMER),
        "network": HoldLimit(*settings.SHOP_UNPAID_LIMIT_PER_NETWORK),
    }


class ReservationRefused(Exception):
    """Placing this order would hold more than the limits allow; for the customer."""


def _holding(orders) -> tuple[int, int]:
    """(unpaid orders, modules they hold)."""
    pending = orders.filter(status=OrderStatus.PENDING_PAYMENT)
    units = OrderLine.objects.filter(order__in=pending).aggregate(units=Sum("quantity"))
    return pending.count(), units["units"] or 0


def reservation_check(*, user, client_ip_hash: str, units: int) -> None:
    """Refuse an order that would take the customer (or their network) over the limits.
    Expired reservations are released first, so they never count."""
    mine = Order.objects.filter(user=user)
    network = Order.objects.filter(client_ip_hash=client_ip_hash) if client_ip_hash else None
    scope = Q(user=user) | Q(client_ip_hash=client_ip_hash) if client_ip_hash else Q(user=user)
    reservations_release_expired(orders=Order.objects.filter(scope))
    limits = hold_limits()
    count, held = _holding(mine)
    if count + 1 > limits["customer"].orders:
        raise ReservationRefused(
            _(
                "You already have %(count)d orders awaiting payment. Pay for one, or wait "
                "until its reservation ends, before placing another."
            )
            % {"count": count}
        )
    if held + units > limits["customer"].units:
        raise ReservationRefused(
            _(
                "Unpaid orders can hold at most %(limit)d modules per customer at a time "
                "(you would hold %(total)d). Please pay for your other orders first or "
                "buy fewer."
            )
            % {"limit": limits["customer"].units, "total": held + units}
        )
    if network is not None:
        count, held = _holding(network)
        if count + 1 > limits["network"].orders or held + units > limits["network"].units:
            raise ReservationRefused(
                _(
                    "Too many unpaid orders come from your network right now. Please pay "
                    "for the ones awaiting payment or try again in %(minutes)d minutes."
                )
                % {"minutes": settings.SHOP_RESERVATION_MINUTES}
            )
