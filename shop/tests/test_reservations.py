"""Reservations end by themselves, and nobody can hoard stock with unpaid orders.

No test here runs a management command: the queue (django.tasks, database backend as
in production, its worker) or the shop's own pages give expired stock back."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from privacy.tests.factories import UserFactory
from shop.models import OrderStatus
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import ADDRESS, basket_add, checkout_place, shown_prices

pytestmark = pytest.mark.django_db


def customer_client(**headers):
    client = Client(**headers)
    client.force_login(UserFactory())
    return client


def worker_run_due_tasks():
    """What `manage.py db_worker` does when it wakes (or starts after downtime). Its
    housekeeping would close this test's connection (and transaction) on PostgreSQL."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _worker_run()


def _worker_run():
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_placing_an_order_queues_the_end_of_its_reservation(
    queue, django_capture_on_commit_callbacks
):
    client = customer_client()
    module = ModuleFactory(stock=2)
    basket_add(client, module, 2)
    with django_capture_on_commit_callbacks(execute=True):
        order = checkout_place(client)
    ending = DBTaskResult.objects.get(task_path="shop.checkout.tasks.order_reservation_end")
    assert ending.run_after == order.created_at + timedelta(minutes=30)
    assert ending.args_kwargs["args"] == [order.pk]
    assert DBTaskResult.objects.filter(task_path="shop.checkout.tasks.reservations_sweep").exists()


@pytest.mark.parametrize("late", [timedelta(minutes=31), timedelta(hours=6)])
def test_an_abandoned_order_gives_its_stock_back_through_the_queue(
    queue, django_capture_on_commit_callbacks, late
):
    """The worker wakes after the reservation ends (or starts again after a long
    downtime, when every overdue task is due at once) and the stock is back on sale."""
    client = customer_client()
    module = ModuleFactory(stock=2)
    basket_add(client, module, 2)
    with django_capture_on_commit_callbacks(execute=True):
        order = checkout_place(client)
    module.refresh_from_db()
    assert module.stock == 0

    worker_run_due_tasks()  # too early: nothing is due, nothing changes
    module.refresh_from_db()
    assert module.stock == 0

    with time_machine.travel(timezone.now() + late, tick=False):
        worker_run_due_tasks()
    module.refresh_from_db()
    order.refresh_from_db()
    assert module.stock == 2
    assert order.status == OrderStatus.CANCELLED


def test_the_sweep_reschedules_itself_and_catches_orders_the_queue_missed(queue):
    from shop.checkout.tasks import reservations_sweep

    client = customer_client()
    module = ModuleFactory(stock=3)
    basket_add(client, module, 2)
    order = checkout_place(client)  # on_commit never ran: no task was queued for it
    assert not DBTaskResult.objects.exists()
    reservations_sweep.enqueue()
    with time_machine.travel(timezone.now() + timedelta(minutes=40), tick=False):
        worker_run_due_tasks()
        order.refresh_from_db()
        assert order.status == OrderStatus.CANCELLED
        waiting = DBTaskResult.objects.filter(
            task_path="shop.checkout.tasks.reservations_sweep", status="READY"
        ).get()
        assert waiting.run_after > timezone.now()


def test_with_no_worker_at_all_an_expired_hold_never_blocks_another_shopper():
    """The immediate backend (development, tests) defers nothing: the basket releases
    expired holds on the module before it checks its stock."""
    hoarder, shopper = customer_client(), customer_client()
    module = ModuleFactory(stock=2)
    basket_add(hoarder, module, 2)
    order = checkout_place(hoarder)
    basket_add(shopper, module, 1)
    assert not shopper.get(reverse("shop:basket-detail")).context["summary"].lines

    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        basket_add(shopper, module, 1)
        bought = checkout_place(shopper)
    module.refresh_from_db()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert bought is not None
    assert module.stock == 1


@pytest.mark.parametrize(
    ("language", "heading", "notice"),
    [
        ("en", "Your reservation ran out", "ran out."),
        ("fr", "Votre réservation a expiré", "a expiré."),
    ],
)
def test_the_pay_page_basket_and_checkout_say_the_reservation_ran_out(language, heading, notice):
    client = customer_client()
    module = ModuleFactory(stock=2)
    basket_add(client, module, 1)
    order = checkout_place(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        pay = client.get(f"/{language}/checkout/{order.number}/pay/", follow=True)
        assert heading in pay.text
        basket = client.get(f"/{language}/basket/")
        assert f"{order.number}" in basket.text and notice in basket.text
        basket_add(client, module, 1)
        checkout = client.get(f"/{language}/checkout/")
        assert notice in checkout.text
    module.refresh_from_db()
    assert module.stock == 2  # released; a basket line holds no stock


def test_one_customer_cannot_take_a_modules_whole_stock_off_sale():
    client = customer_client()
    module = ModuleFactory(stock=40)
    basket_add(client, module, 40)
    response = client.post(reverse("shop:checkout"), {"name": "x"})
    assert response.status_code == 200  # the invalid form, nothing placed
    response = client.post(
        reverse("shop:checkout"), {**ADDRESS, **shown_prices(client)}, follow=True
    )
    assert "at most 20 modules per customer" in response.text
    module.refresh_from_db()
    assert module.stock == 40


def test_a_customer_has_at_most_three_unpaid_orders(settings):
    client = customer_client()
    module = ModuleFactory(stock=100)
    for _ in range(3):
        basket_add(client, module, 1)
        assert checkout_place(client) is not None
    basket_add(client, module, 1)
    assert checkout_place(client) is None
    response = client.get(reverse("shop:basket-detail"))
    assert "You already have 3 orders awaiting payment" in response.text
    module.refresh_from_db()
    assert module.stock == 97


def test_one_network_cannot_hoard_with_many_accounts(settings):
    settings.SHOP_UNPAID_LIMIT_PER_NETWORK = (2, 60)
    module = ModuleFactory(stock=10)
    placed = []
    for _ in range(3):
        client = customer_client(REMOTE_ADDR="198.51.100.7")
        basket_add(client, module, 1)
        placed.append(checkout_place(client))
    assert placed[0] is not None and placed[1] is not None and placed[2] is None
    french = customer_client(REMOTE_ADDR="198.51.100.7")
    basket_add(french, module, 1)
    response = french.post("/fr/checkout/", {**ADDRESS, **shown_prices(french)}, follow=True)
    assert "Trop de commandes non payées viennent de votre réseau" in response.text
    other_network = customer_client(REMOTE_ADDR="203.0.113.9")
    # The French request left French active: back to /en/, pounds for this UK address.
    with translation.override("en"):
        basket_add(other_network, module, 1)
        assert checkout_place(other_network) is not None


def test_expired_orders_do_not_count_against_the_limits():
    client = customer_client()
    module = ModuleFactory(stock=100)
    for _ in range(3):
        basket_add(client, module, 1)
        checkout_place(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        basket_add(client, module, 1)
        assert checkout_place(client) is not None
    module.refresh_from_db()
    assert module.stock == 99


def test_the_load_benchmark_invariant_catches_an_expired_hold_and_clears_once_released():
    """Control for bench/load_invariants.expired_holds: an expired order nobody released
    is reported; after the queue's task runs, nothing is."""
    from bench.load_invariants import expired_holds
    from shop.checkout.tasks import order_reservation_end

    client = customer_client()
    module = ModuleFactory(stock=2)
    basket_add(client, module, 1)
    order = checkout_place(client)
    later = timezone.now() + timedelta(hours=1)
    assert expired_holds(now=timezone.now()) == []
    assert [line.split()[0] for line in expired_holds(now=later)] == [order.number]
    with time_machine.travel(later, tick=False):
        order_reservation_end.call(order.pk)
    assert expired_holds(now=later) == []
