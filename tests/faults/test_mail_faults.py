"""The mail server under faults: one that accepts connections and never answers must
not slow a payment (e-mails go through the queue, after the commit), and an e-mail
queued while the mail server is down arrives once, and only once, when it is back.

Both rest on every e-mail going through the outbox with retries (privacy/outbox.py):
before it, a hanging mail server held the payment page for the SMTP timeout, and an
e-mail whose first try failed was never sent."""

import re
import time

import pytest

from bench.fault_steps import deliveries, privacy_request_send, shopper_browser
from bench.load_shopper import ADDRESS, OUTCOME

pytestmark = pytest.mark.faults

ORDER_PAID_WITHIN_SECONDS = 5


def test_a_mail_server_that_never_answers_does_not_slow_a_payment(services):
    customer = 5
    browser = shopper_browser(services, customer)
    browser.get("/en/basket/")
    browser.post("/en/basket/add/", {"module": services.catalog["module_ids"][0], "quantity": 1})
    browser.get("/en/checkout/")
    # The form sends back the prices its page showed, as a browser does.
    card_form, _status, _page = browser.post("/en/checkout/", {**ADDRESS, **browser.shown_prices})
    assert "/simulator/" in card_form
    order_number = re.search(r"/en/checkout/([A-Z0-9-]+)/", card_form)[1]

    services.mail.hang()
    started = time.monotonic()
    _path, status, page = browser.post(
        card_form, {"number": "4242424242424242", "expiry": "12/39", "cvc": "123"}
    )
    paying = time.monotonic() - started

    assert status == 200
    assert OUTCOME.search(page)[1] in ("paid", "held_for_review")
    assert paying < ORDER_PAID_WITHIN_SECONDS
    status_now = services.sql("select status from shop_order where number = %s", order_number)
    assert status_now[0][0] in ("paid", "held_for_review")
    # The confirmation goes out once the mail server answers again, once.
    services.mail.up()
    address = f"shopper{customer}@example.com"
    assert services.wait_for(lambda: deliveries(services, [address]) == {address: 1}, 120)


def test_an_email_queued_while_the_mail_server_is_down_arrives_once_it_is_up(services):
    address = "mail-down@example.com"
    services.mail.down()
    assert privacy_request_send(services, address, "198.51.100.60") == 200
    # Tried while the server is down: the outbox keeps it to try again (with backoff).
    failed_once = "select count(*) from privacy_outgoingemail where status = 'retrying'"
    assert services.wait_for(lambda: services.sql(failed_once)[0][0] >= 1, 30)

    services.mail.up()

    assert services.wait_for(lambda: deliveries(services, [address]) == {address: 1}, 120)
    unfinished = (
        "select count(*) from django_tasks_database_dbtaskresult "
        "where task_path = 'privacy.tasks.email_deliver' and status in ('READY', 'RUNNING')"
    )
    assert services.wait_for(lambda: services.sql(unfinished)[0][0] == 0, 60)
    assert deliveries(services, [address]) == {address: 1}
