"""Redis is a cache, not a single point of failure: stopped or hung under shoppers, the
shop answers without an error, keeps every session and order, and what changed while
it was away (a sign-out) holds once it is back."""

import time

import pytest

from bench.fault_steps import shopper_browser, shoppers_run, signed_in, unsafe_stock

pytestmark = pytest.mark.faults


def statuses(records) -> list[int]:
    return [sample.status for record in records for sample in record.samples]


def test_redis_stopped_under_shoppers_answers_no_error_and_loses_no_order(services):
    errors_before, log_before = services.server_errors(), len(services.gunicorn_log())
    records, runner = shoppers_run(services, range(4), seconds=14)
    time.sleep(3)  # the load's first seconds with Redis up
    before = len(statuses(records))
    services.redis.stop()
    time.sleep(4)  # the outage, under load
    during = statuses(records)[before:]
    services.redis.start()
    runner.join()

    answered = statuses(records)
    assert len(during) > 5, "the shoppers made no request while Redis was down"
    assert [status for status in answered if status >= 500 or status == 0] == []
    assert services.server_errors() == errors_before, services.gunicorn_log()[log_before:]
    # Every shopper is still signed in, and every order a shopper was shown exists.
    assert all(signed_in(shopper_browser(services, index)) for index in range(4))
    shown = {a.order_number for r in records for a in r.attempts if a.order_number}
    placed = {row[0] for row in services.sql("select number from shop_order")}
    assert shown <= placed
    assert unsafe_stock(services) == []


def test_a_sign_out_while_redis_hangs_holds_once_redis_is_back(services):
    leaving, staying = shopper_browser(services, 6), shopper_browser(services, 7)
    assert signed_in(leaving) and signed_in(staying)  # both sessions are now in Redis
    old_session = leaving.cookies["sessionid"]

    services.redis.pause()  # Redis accepts connections and never answers
    try:
        leaving.get("/en/accounts/logout/")
        leaving.post("/en/accounts/logout/", {})
        assert not signed_in(leaving)
        assert signed_in(staying)
    finally:
        services.redis.resume()

    # Once Redis answers, the shop renews in Redis what it wrote to the database cache.
    assert services.wait_for(
        lambda: services.sql("select count(*) from offtek_cache")[0][0] == 0, 30
    )
    replayed = shopper_browser(services, 6)
    replayed.cookies["sessionid"] = old_session
    assert not signed_in(replayed)  # Redis's copy from before the sign-out is gone
    assert signed_in(staying)
