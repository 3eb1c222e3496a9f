"""When a customer may withdraw from an order, as data and one function.

The period is 14 days from the day the parcel reached the customer (the courier's
delivery date; an order travels as one parcel, so its delivery date is the parcel's).
The day of delivery is not counted and the period ends at midnight at the end of the
14th day, in the customer's time zone (Regulation 1182/71 for the EU, the same count
under the Consumer Contracts Regulations 2013). A customer may also withdraw before the
parcel arrives: the period has then not started, and the button is already there."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from privacy.consent.purposes import uses_personal_data
from shop.customer_pages.moments import changes_at
from shop.models import Order, OrderStatus

WITHDRAWAL_DAYS = 14
# The refund is due within 14 days of the statement (it may wait for the goods).
REFUND_DAYS = 14
# The customer's time zone, by the delivery country.
TIME_ZONES = {"GB": "Europe/London", "FR": "Europe/Paris"}
DEFAULT_TIME_ZONE = "Europe/London"
# Statuses in which an order is a contract the customer can still withdraw from.
BEFORE_DELIVERY = frozenset({OrderStatus.PAID, OrderStatus.HELD_FOR_REVIEW, OrderStatus.DISPATCHED})


@dataclass(frozen=True)
class WithdrawalPeriod:
    open: bool
    ends_at: datetime.datetime | None  # None: the parcel has not arrived yet
    time_zone: str

    @property
    def last_day(self) -> datetime.date | None:
        """The last day the customer may withdraw, in their time zone."""
        if self.ends_at is None:
            return None
        return (self.ends_at.astimezone(ZoneInfo(self.time_zone)) - datetime.timedelta(1)).date()


@uses_personal_data("orders", categories=["contact"])
def order_time_zone(order: Order) -> str:
    """The time zone of the place the order is delivered to."""
    return TIME_ZONES.get(order.delivery_country, DEFAULT_TIME_ZONE)


def withdrawal_period(order: Order, *, now: datetime.datetime | None = None) -> WithdrawalPeriod:
    zone = order_time_zone(order)
    if order.status in BEFORE_DELIVERY:
        return WithdrawalPeriod(open=True, ends_at=None, time_zone=zone)
    if order.status != OrderStatus.DELIVERED or order.delivered_at is None:
        return WithdrawalPeriod(open=False, ends_at=None, time_zone=zone)
    local = ZoneInfo(zone)
    delivered_day = order.delivered_at.astimezone(local).date()
    end_day = delivered_day + datetime.timedelta(days=WITHDRAWAL_DAYS + 1)
    ends_at = datetime.datetime.combine(end_day, datetime.time(), tzinfo=local)
    changes_at(ends_at)  # a kept page showing the period ends with it
    return WithdrawalPeriod(open=(now or timezone.now()) < ends_at, ends_at=ends_at, time_zone=zone)


def refund_due_date(received_at: datetime.datetime, time_zone: str) -> datetime.date:
    return received_at.astimezone(ZoneInfo(time_zone)).date() + datetime.timedelta(days=REFUND_DAYS)
