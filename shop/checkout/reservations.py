"""How much stock one customer, or one network, may hold in unpaid orders at once
(rules as data, read from settings). The end of a reservation is in
shop.orders.reservations; its scheduling in shop.checkout.tasks.

Two kinds of limit: on all unpaid orders together (how many orders, how many modules:
`reservation_check`), and on each module, a fair share of its stock
(`fair_share_check`), so that no customer and no network (shop.checkout.networks) can
take a module off sale with orders they do not pay for."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, Q, Sum
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from shop.models import Order, OrderLine, OrderStatus
from shop.orders.reservations import reservation_period, reservations_release_expired


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


@dataclass(frozen=True)
class FairShare:
    """At most `percent` % of a module's stock on sale, and never fewer than `floor`
    units (so that a module with little stock still sells)."""

    percent: int
    floor: int

    def units(self, on_sale: int) -> int:
        return max(self.floor, on_sale * self.percent // 100)


def fair_shares() -> dict[str, FairShare]:
    """Per signed-in customer and per network, of each module."""
    floor = settings.SHOP_FAIR_SHARE_FLOOR_UNITS
    return {
        "customer": FairShare(settings.SHOP_FAIR_SHARE_PERCENT_PER_CUSTOMER, floor),
        "network": FairShare(settings.SHOP_FAIR_SHARE_PERCENT_PER_NETWORK, floor),
    }


def fair_share_check(*, user, client_ip_hash: str, wanted: dict[int, int], modules) -> None:
    """Refuse an order that would leave the customer, or their network, holding more
    than their fair share of a module in unpaid orders. A module's stock on sale is
    what is free (`modules`, read under their row locks, so the count cannot change
    underneath) plus what unpaid orders hold. Expired holds must be released first."""
    scopes = {"customer": Q(order__user=user)}
    if client_ip_hash:
        scopes["network"] = Q(order__client_ip_hash=client_ip_hash)
    held = {
        row["module_id"]: row
        for row in OrderLine.objects.filter(
            order__status=OrderStatus.PENDING_PAYMENT, module_id__in=list(wanted)
        )
        .values("module_id")
        .annotate(
            total=Sum("quantity"),
            **{scope: Sum("quantity", filter=where) for scope, where in scopes.items()},
        )
    }
    shares = fair_shares()
    for module in modules:
        row = held.get(module.pk, {})
        on_sale = module.stock + (row.get("total") or 0)
        # A network holds at least what one of its customers may.
        limits = {"customer": shares["customer"].units(on_sale)}
        limits["network"] = max(limits["customer"], shares["network"].units(on_sale))
        for scope, where in scopes.items():
            limit = limits[scope]
            holding = row.get(scope) or 0
            if holding + wanted[module.pk] > limit:
                raise ReservationRefused(
                    _fair_share_message(
                        scope=scope,
                        module=module,
                        limit=limit,
                        holding=holding,
                        frees_at=_first_hold_end(module=module, where=where),
                    )
                )


def _first_hold_end(*, module, where: Q):
    """When the first of these unpaid orders on `module` ends its reservation."""
    first = OrderLine.objects.filter(
        where, order__status=OrderStatus.PENDING_PAYMENT, module=module
    ).aggregate(placed=Min("order__created_at"))["placed"]
    return first + reservation_period() if first else None


def _fair_share_message(*, scope, module, limit, holding, frees_at) -> str:
    values = {
        "module": module,
        "limit": limit,
        "holding": holding,
        "time": time_format(timezone.localtime(frees_at), "TIME_FORMAT") if frees_at else "",
    }
    if scope == "network":
        return (
            _(
                "So that everyone can buy %(module)s, the orders awaiting payment from one "
                "network may hold at most %(limit)d of it at a time, and those from your "
                "network already hold %(holding)d. Some are released at %(time)s at the "
                "latest, or as soon as they are paid; please try again then, or buy fewer."
            )
            % values
        )
    if holding:
        return (
            _(
                "So that everyone can buy %(module)s, one customer may hold at most "
                "%(limit)d of it in orders awaiting payment, and you already hold "
                "%(holding)d. Pay for that order (its reservation ends at %(time)s), then "
                "order more, or buy fewer."
            )
            % values
        )
    return (
        _(
            "So that everyone can buy %(module)s, one customer may hold at most %(limit)d "
            "of it in an order awaiting payment. Please buy fewer; once your order is "
            "paid you can order more."
        )
        % values
    )
