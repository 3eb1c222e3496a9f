"""The task worker under faults: SIGKILL in the middle of sending an e-mail, and a
PostgreSQL restart. Nothing queued is lost, nothing is sent twice, and the worker
comes back by itself."""

import pytest

from bench.fault_steps import deliveries, email_tasks_unfinished, privacy_request_send

pytestmark = pytest.mark.faults


def test_a_worker_killed_while_sending_loses_and_doubles_no_email(services):
    addresses = [f"killed-{n}@example.com" for n in range(4)]
    unsent = "select count(*) from privacy_outgoingemail where status <> 'sent'"
    unsent_before = services.sql(unsent)[0][0]
    run_twice = (
        "select count(*) from django_tasks_database_dbtaskresult "
        "where task_path = 'privacy.tasks.email_deliver' and jsonb_array_length(worker_ids) = 2"
    )
    run_twice_before = services.sql(run_twice)[0][0]
    services.mail.hold()  # the mail server takes each message and waits before its 250
    for n, address in enumerate(addresses):
        assert privacy_request_send(services, address, f"198.51.100.{10 + n}") == 200
    assert services.wait_for(lambda: services.mail.held >= 1, 60), "no e-mail was being sent"

    services.worker.kill()  # SIGKILL while the message waits for the server's answer
    services.mail.release()
    assert deliveries(services, addresses) == {}  # the killed worker delivered nothing
    services.worker.start()

    assert services.wait_for(lambda: email_tasks_unfinished(services) == 0, 90)
    assert deliveries(services, addresses) == dict.fromkeys(addresses, 1)
    assert services.sql(run_twice)[0][0] == run_twice_before + 1  # the killed one, again
    assert services.sql(unsent)[0][0] == unsent_before  # every row of this test was sent


def test_the_worker_and_the_shop_come_back_after_a_postgres_restart(services):
    worker_pid = services.worker.process.pid
    assert services.gunicorn.probe_status() == 200

    services.postgres.restart()  # fast stop: every session is cut

    # The worker either saw the connection drop ("lost the database", then back) or
    # found it gone at its next poll and reconnected quietly: either way the same
    # process carries on, which is what db_worker alone did not do (it exited).
    assert services.wait_for(lambda: services.worker.alive(), 30)
    assert services.worker.process.pid == worker_pid
    statuses = [services.gunicorn.probe_status() for _request in range(5)]
    assert statuses == [200] * 5  # the shop's first requests after the restart succeed
    addresses = [f"restart-{n}@example.com" for n in range(3)]
    for n, address in enumerate(addresses):
        assert privacy_request_send(services, address, f"198.51.100.{30 + n}") == 200
    assert services.wait_for(lambda: email_tasks_unfinished(services) == 0, 60)
    assert deliveries(services, addresses) == dict.fromkeys(addresses, 1)
    assert services.worker.process.pid == worker_pid  # the same worker, never restarted
