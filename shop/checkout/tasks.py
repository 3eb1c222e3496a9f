"""Reservations end by themselves: tasks the queue runs when an unpaid order's hold
ends, and a sweep that re-schedules itself (no cron line). A worker that was down
runs every overdue task as soon as it starts. The same sweep sends what the outbox
holds due (e-mails and text messages whose task was lost or whose worker died)."""

from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils import timezone

from privacy.emails import emails_resend_due
from shop.fulfilment.sms.services import sms_resend_due
from shop.models import Order
from shop.orders.reservations import reservation_ends_at, reservations_release_expired

SWEEP_EVERY = timedelta(minutes=5)
SWEEP_SCHEDULED_KEY = "shop:reservations-sweep-scheduled"


@task
def order_reservation_end(order_id: int) -> int:
    """Release this order's stock if it is still unpaid when its reservation ends."""
    return reservations_release_expired(orders=Order.objects.filter(pk=order_id))


@task
def reservations_sweep() -> int:
    """Release every expired reservation (catches up after downtime), send the
    outbox messages due, then come back."""
    cache.delete(SWEEP_SCHEDULED_KEY)
    released = reservations_release_expired()
    emails_resend_due()
    sms_resend_due()
    sweep_schedule()
    return released


def sweep_schedule() -> None:
    """Make sure one sweep is waiting in the queue (one per SWEEP_EVERY, all workers)."""
    if not default_task_backend.supports_defer:
        return  # the immediate backend: expired holds are released where stock is read
    if cache.add(SWEEP_SCHEDULED_KEY, True, timeout=int(SWEEP_EVERY.total_seconds()) * 2):
        reservations_sweep.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()


def reservation_schedule(order: Order) -> None:
    """After the order is committed: its release at the end of its reservation."""

    def enqueue():
        if default_task_backend.supports_defer:
            order_reservation_end.using(run_after=reservation_ends_at(order)).enqueue(order.pk)
        sweep_schedule()

    transaction.on_commit(enqueue)
