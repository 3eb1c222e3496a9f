"""What the fault tests (tests/faults/) and bench/faults.py do through the shop's
public surface, and what they count, on a bench/stack.py Stack."""

import random
import threading
import time
from collections import Counter

from bench.client import Browser, ConnectionLost, Record, TimeUp
from bench.load_shopper import Shopper
from bench.stack import Stack


def privacy_request_send(stack: Stack, email: str, address: str) -> int:
    """A visitor writes to the Privacy Officer: the shop queues a confirmation e-mail
    to `email`. Returns the status of the answer."""
    browser = Browser(stack.gunicorn.port, address=address)
    browser.get("/en/privacy/contact/")
    _path, status, _page = browser.post(
        "/en/privacy/contact/",
        {"kind": "question", "email": email, "name": "", "message": "What do you hold?"},
    )
    return status


def email_tasks_unfinished(stack: Stack) -> int:
    """E-mail tasks waiting or running (not successful, not failed)."""
    return stack.sql(
        "select count(*) from django_tasks_database_dbtaskresult "
        "where task_path = 'privacy.tasks.email_deliver' and status in ('READY', 'RUNNING')"
    )[0][0]


def deliveries(stack: Stack, addresses) -> Counter:
    """How many messages the mail server accepted for each of `addresses`."""
    wanted = set(addresses)
    return Counter(r for r in stack.mail.recipients() if r in wanted)


def shopper_browser(stack: Stack, index: int, **options) -> Browser:
    """Customer `index` of the prepared database, signed in (their session cookie)."""
    browser = Browser(stack.gunicorn.port, address=f"203.0.113.{index + 1}", **options)
    browser.cookies["sessionid"] = stack.catalog["sessions"][index]
    return browser


def signed_in(browser: Browser) -> bool:
    path, status, _page = browser.get("/en/account/", "account")
    return status == 200 and "/accounts/login/" not in path


def unsafe_stock(stack: Stack) -> list[tuple]:
    """Modules whose stock went below zero, or whose stock taken is not what the orders
    reserving stock hold: (module, stock, initial stock, units held)."""
    initial = {int(k): v for k, v in stack.catalog["initial_stock"].items()}
    held = dict(
        stack.sql(
            "select line.module_id, sum(line.quantity) from shop_orderline line "
            "join shop_order o on o.id = line.order_id "
            "where o.stock_reserved group by line.module_id"
        )
    )
    return [
        (module_id, stock, initial.get(module_id), held.get(module_id, 0))
        for module_id, stock in stack.sql("select id, stock from shop_module")
        if stock < 0 or initial.get(module_id, stock) - stock != held.get(module_id, 0)
    ]


def shoppers_run(stack, indexes, seconds: float) -> tuple[list[Record], threading.Thread]:
    """Signed-in shoppers browsing, filling baskets and paying for `seconds`."""
    records = [Record() for _index in indexes]
    stop_at = time.monotonic() + seconds

    def shop(index, record):
        browser = shopper_browser(stack, index, stop_at=stop_at)
        browser.record = record
        shopper = Shopper(browser, stack.catalog, random.Random(index), double_clicks=0)
        while True:
            try:
                shopper.visit()
            except TimeUp:
                return
            except ConnectionLost:
                continue  # counted in the record as "no answer"

    threads = [
        threading.Thread(target=shop, args=(index, record))
        for index, record in zip(indexes, records, strict=True)
    ]
    for thread in threads:
        thread.start()
    runner = threading.Thread(target=lambda: [thread.join() for thread in threads])
    runner.start()
    return records, runner
