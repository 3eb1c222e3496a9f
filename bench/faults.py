"""The faults of tests/faults/, under load, with counts. A script run by hand, not a test.

    .venv/bin/python -m bench.faults [--shoppers 8] [--seconds 12] [--outage 4] [--emails 6]

Starts the whole stack on 127.0.0.1 (bench/stack.py: a throwaway PostgreSQL cluster,
redis-server, a local mail server, gunicorn with production settings and the Redis
cache, `manage.py worker`), prepares the load benchmark's catalog and customers, then
for each fault runs --shoppers signed-in shoppers (browse, basket, checkout, pay on the
simulator) for --seconds, injecting the fault after a quarter of them for --outage
seconds:

- Redis stopped, then started again (empty);
- Redis hung (SIGSTOP, SIGCONT);
- PostgreSQL stopped (fast: every session cut), then started;
- the mail server hung (accepts connections, never answers), then back.

For each it prints the requests sent before, during and after the fault (after: once
the service is back) and their 5xx (and requests left unanswered). Then, without
shoppers: --emails privacy requests queued while the mail server holds every message,
the worker SIGKILLed while it sends, a new worker started; and --emails more queued
while the mail server is down, then up. It counts the e-mails the mail server accepted
against those expected (none lost, none twice), the order confirmations against the
paid orders, and checks the invariants: stock never below zero and equal to what
orders reserve, every paid order with one successful payment, no task left running.
Exits 1 if a check fails. Bounded: about (4 x --seconds) + 2 minutes on top of the
stack's start (45 s).
"""

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.fault_steps import (
    deliveries,
    email_tasks_unfinished,
    privacy_request_send,
    shoppers_run,
    unsafe_stock,
)
from bench.stack import Stack


def slices(records, marks: list[float]) -> list[list[int]]:
    """Statuses of the requests sent before the first mark, between marks, after the last."""
    bounds = [float("-inf"), *marks, float("inf")]
    samples = [sample for record in records for sample in record.samples]
    return [
        [sample.status for sample in samples if low <= sample.started < high]
        for low, high in zip(bounds, bounds[1:], strict=False)
    ]


def under_load(stack: Stack, options, name: str, inject, restore) -> bool:
    """Shoppers for --seconds; the fault after a quarter of them, for --outage seconds."""
    records, runner = shoppers_run(stack, range(options.shoppers), options.seconds)
    time.sleep(options.seconds / 4)
    at_fault = time.monotonic()
    inject()
    time.sleep(options.outage)
    restore()
    at_restore = time.monotonic()
    runner.join()
    parts = slices(records, [at_fault, at_restore])
    counts = []
    for statuses in parts:
        errors = sum(1 for status in statuses if status >= 500)
        unanswered = sum(1 for status in statuses if status == 0)
        counts.append(f"{len(statuses):4} req {errors:3} 5xx {unanswered:2} unanswered")
    print(f"{name:30} before: {counts[0]} | during: {counts[1]} | after: {counts[2]}")
    return all(status < 500 and status != 0 for status in parts[2])


def emails_through_a_killed_worker(stack: Stack, count: int) -> tuple[int, Counter]:
    addresses = [f"bench-killed-{n}@example.com" for n in range(count)]
    stack.mail.hold()
    for n, address in enumerate(addresses):
        privacy_request_send(stack, address, f"198.51.100.{100 + n}")
    stack.wait_for(lambda: stack.mail.held >= 1, 60)
    stack.worker.kill()
    stack.mail.release()
    stack.worker.start()
    stack.wait_for(lambda: email_tasks_unfinished(stack) == 0, 120)
    return len(addresses), deliveries(stack, addresses)


def emails_while_mail_is_down(stack: Stack, count: int, wait: float) -> tuple[int, Counter]:
    addresses = [f"bench-down-{n}@example.com" for n in range(count)]
    stack.mail.down()
    for n, address in enumerate(addresses):
        privacy_request_send(stack, address, f"198.51.100.{150 + n}")
    stack.wait_for(lambda: email_tasks_unfinished(stack) == 0, 30)
    stack.mail.up()
    stack.wait_for(lambda: len(deliveries(stack, addresses)) == len(addresses), wait)
    return len(addresses), deliveries(stack, addresses)


def report_emails(name: str, expected: int, received: Counter) -> bool:
    doubled = sum(1 for times in received.values() if times > 1)
    lost = expected - len(received)
    print(
        f"{name:42} expected {expected}, received {sum(received.values())}, "
        f"lost {lost}, doubled {doubled}"
    )
    return lost == 0 and doubled == 0


def invariants(stack: Stack) -> list[tuple[str, list]]:
    paid = stack.sql(
        "select o.number, count(p.id) filter (where p.status = 'succeeded') "
        "from shop_order o left join shop_payment p on p.order_id = o.id "
        "where o.status in ('paid', 'held_for_review', 'dispatched', 'delivered') "
        "group by o.number"
    )
    confirmations = {subject for _to, subject in stack.mail.received}
    unconfirmed = [n for n, _p in paid if not any(n in subject for subject in confirmations)]
    return [
        ("stock never below zero, and equal to what orders reserve", unsafe_stock(stack)),
        (
            "every paid order has exactly one successful payment",
            [(n, p) for n, p in paid if p != 1],
        ),
        (
            "no task left running",
            stack.sql("select id from django_tasks_database_dbtaskresult where status = 'RUNNING'"),
        ),
        (f"every paid order's confirmation e-mail arrived ({len(paid)} paid)", unconfirmed),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shoppers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=12, help="load per fault (12)")
    parser.add_argument("--outage", type=float, default=4, help="seconds each fault lasts (4)")
    parser.add_argument("--emails", type=int, default=6, help="e-mails per mail fault (6)")
    parser.add_argument("--mail-wait", type=float, default=90, help="seconds to wait for mail")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="offtek-faults-bench-"))
    ok = True
    started = time.monotonic()
    try:
        with Stack(workdir, shoppers=options.shoppers, modules=80) as stack:
            print(
                f"Stack up in {time.monotonic() - started:.0f} s: gunicorn "
                f"{stack.gunicorn.base_url}, PostgreSQL :{stack.postgres.port}, Redis "
                f":{stack.redis.port}, mail :{stack.mail.port}; {options.shoppers} shoppers, "
                f"{options.seconds:g} s per fault, each fault {options.outage:g} s\n"
            )
            errors_before = stack.server_errors()
            ok &= under_load(stack, options, "Redis stopped", stack.redis.stop, stack.redis.start)
            ok &= under_load(stack, options, "Redis hung", stack.redis.pause, stack.redis.resume)
            ok &= under_load(
                stack, options, "PostgreSQL stopped", stack.postgres.stop, stack.postgres.start
            )
            ok &= under_load(stack, options, "mail server hung", stack.mail.hang, stack.mail.up)
            print(f"\nErrors in gunicorn's log: {stack.server_errors() - errors_before}")
            print(f"Worker alive after every fault: {stack.worker.alive()}\n")
            ok &= report_emails(
                "worker SIGKILLed while sending:",
                *emails_through_a_killed_worker(stack, options.emails),
            )
            ok &= report_emails(
                "mail server down, then up:",
                *emails_while_mail_is_down(stack, options.emails, options.mail_wait),
            )
            statuses = dict(stack.sql("select status, count(*) from shop_order group by status"))
            print(f"\nOrders by status: {statuses}")
            print("Invariants:")
            for name, problems in invariants(stack):
                print(f"  {'ok  ' if not problems else 'FAIL'} {name}")
                for problem in problems[:5]:
                    print(f"       {problem}")
                ok &= not problems
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"\n{'ALL CHECKS HOLD' if ok else 'SOME CHECKS FAIL'} ({time.monotonic() - started:.0f} s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
