"""`manage.py retention`: each rule at its boundary, dry run and apply, re-runs,
interruption, the lock, and what is left in the raw database afterwards."""

import dataclasses
import datetime
import io
import json

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from privacy import retention
from privacy.models import (
    PrivacyRequest,
    PrivacyRequestStatus,
    RetentionRun,
    SecurityEvent,
    User,
)
from privacy.retention import engine
from privacy.rights.requests import privacy_request_close
from privacy.tests.factories import SecurityEventFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2025, 1, 15, 12, 0, tzinfo=datetime.UTC)


def run(*args):
    out = io.StringIO()
    call_command("retention", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_json(*args):
    return json.loads(run("--json", *args))


def counts(report):
    return {row["job"]: (row["due"], row["done"]) for row in report["rules"]}


@pytest.mark.parametrize(
    ("days_later", "kept"),
    [(364, True), (366, False)],  # the security log is kept 12 months (365 days)
)
def test_security_events_are_deleted_after_twelve_months(days_later, kept):
    with time_machine.travel(START, tick=False):
        event = SecurityEventFactory(ip_address="203.0.113.9")
    with time_machine.travel(START + datetime.timedelta(days=days_later), tick=False):
        run("--apply")
    assert SecurityEvent.objects.filter(pk=event.pk).exists() is kept


@pytest.mark.parametrize(("days_later", "shortened"), [(29, False), (31, True)])
def test_security_log_ip_addresses_are_shortened_after_thirty_days(days_later, shortened):
    with time_machine.travel(START, tick=False):
        event = SecurityEventFactory(ip_address="203.0.113.9")
    with time_machine.travel(START + datetime.timedelta(days=days_later), tick=False):
        run("--apply")
    event.refresh_from_db()
    assert event.ip_address == ("203.0.113.0" if shortened else "203.0.113.9")
    assert event.ip_shortened is shortened


@pytest.mark.parametrize(("days_later", "kept"), [(29, True), (31, False)])
def test_unverified_signups_are_deleted_after_thirty_days(days_later, kept):
    with time_machine.travel(START, tick=False):
        unverified = UserFactory(verified=False)
        EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
        verified = UserFactory()
        staff = UserFactory(verified=False, is_staff=True)
    with time_machine.travel(START + datetime.timedelta(days=days_later), tick=False):
        run("--apply")
    assert User.objects.filter(pk=unverified.pk).exists() is kept
    assert User.objects.filter(pk__in=[verified.pk, staff.pk]).count() == 2


def test_a_dry_run_reports_and_changes_nothing():
    with time_machine.travel(START, tick=False):
        SecurityEventFactory.create_batch(3, ip_address="198.51.100.7")
    with time_machine.travel(START + datetime.timedelta(days=400), tick=False):
        report = run_json()
        text = run()
    assert report["applied"] is False
    assert counts(report)["security-log: privacy.securityevent"] == (3, 0)
    assert report["totals"]["deleted"] >= 3
    assert SecurityEvent.objects.count() == 3
    assert "would be deleted" in text
    assert "1 year after the event" in text
    assert RetentionRun.objects.filter(status="dry-run").count() == 2


def test_apply_then_a_second_run_changes_nothing():
    with time_machine.travel(START, tick=False):
        SecurityEventFactory.create_batch(5, ip_address="198.51.100.7")
    with time_machine.travel(START + datetime.timedelta(days=400), tick=False):
        first = run_json("--apply", "--batch-size", "2")
        second = run_json("--apply")
    assert counts(first)["security-log: privacy.securityevent"] == (5, 5)
    assert second["totals"]["deleted"] == 0 and second["totals"]["anonymised"] == 0
    assert list(RetentionRun.objects.values_list("status", flat=True)) == ["succeeded"] * 2


def test_now_option_applies_the_schedule_as_of_a_date():
    with time_machine.travel(START, tick=False):
        SecurityEventFactory(ip_address="198.51.100.7")
    report = run_json("--now", "2026-06-01")
    assert counts(report)["security-log: privacy.securityevent"][0] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "yesterday"], "not a date"),
        (["--rule", "no-such-rule"], "Unknown retention rules"),
        (["--batch-size", "0"], "at least 1"),
    ],
)
def test_bad_arguments_are_refused_clearly(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not RetentionRun.objects.exists()


def test_a_second_run_is_refused_while_one_is_running():
    RetentionRun.objects.create(now=START, applied=True)  # the lock, held by another run
    with pytest.raises(CommandError, match="in progress"):
        run("--apply")
    assert RetentionRun.objects.filter(status="running").count() == 1


def test_a_dead_run_does_not_hold_the_lock_forever():
    dead = RetentionRun.objects.create(now=START, applied=True)
    RetentionRun.objects.filter(pk=dead.pk).update(
        heartbeat_at=START - engine.STALE_AFTER - datetime.timedelta(minutes=1)
    )
    run("--apply")
    dead.refresh_from_db()
    assert dead.status == "failed"
    assert RetentionRun.objects.latest("pk").status == "succeeded"


def test_an_interrupted_run_is_finished_by_the_next(monkeypatch):
    with time_machine.travel(START, tick=False):
        events = SecurityEventFactory.create_batch(5, ip_address="198.51.100.7")
    job = next(j for j in retention.jobs() if j.label == "security-log: privacy.securityevent")
    batches = []

    def act_then_stop(queryset):
        batches.append(1)
        if len(batches) == 2:
            raise KeyboardInterrupt  # the operator presses Ctrl-C in the second batch
        return retention.delete_rows(queryset)

    patched = [
        dataclasses.replace(j, act=act_then_stop) if j is job else j for j in retention.jobs()
    ]
    monkeypatch.setattr(engine, "jobs", lambda: patched)
    with time_machine.travel(START + datetime.timedelta(days=400), tick=False):
        with pytest.raises(KeyboardInterrupt):
            engine.retention_run(apply=True, batch_size=2)
        assert SecurityEvent.objects.count() == 3  # the first batch stayed done
        interrupted = RetentionRun.objects.get()
        assert interrupted.status == "interrupted"
        monkeypatch.undo()
        run("--apply", "--batch-size", "2")
    assert not SecurityEvent.objects.filter(pk__in=[e.pk for e in events]).exists()


def _security_log_job_acting(monkeypatch, act):
    job = next(j for j in retention.jobs() if j.label == "security-log: privacy.securityevent")
    patched = [dataclasses.replace(j, act=act) if j is job else j for j in retention.jobs()]
    monkeypatch.setattr(engine, "jobs", lambda: patched)


def test_rows_that_become_due_behind_the_last_batch_are_done_in_the_same_run(monkeypatch):
    with time_machine.travel(START, tick=False):
        old = SecurityEventFactory.create_batch(2)
        young = SecurityEventFactory()  # between the batches, not due at first
        later = SecurityEventFactory.create_batch(2)
    SecurityEvent.objects.filter(pk=young.pk).update(created_at=START + datetime.timedelta(300))
    acted = []

    def act(queryset):
        acted.append(sorted(queryset.values_list("pk", flat=True)))
        if len(acted) == 2:  # while the second batch is done, the young event comes due
            SecurityEvent.objects.filter(pk=young.pk).update(created_at=START)
        return retention.delete_rows(queryset)

    _security_log_job_acting(monkeypatch, act)
    with time_machine.travel(START + datetime.timedelta(days=400), tick=False):
        run_, reports = engine.retention_run(apply=True, batch_size=2, rules=["security-log"])
    assert acted == [[e.pk for e in old], [e.pk for e in later], [young.pk]]
    assert not SecurityEvent.objects.exists()
    assert run_.status == "succeeded"
    assert reports[0].done == 5


def test_a_job_that_changes_nothing_stops_the_run_as_failed(monkeypatch):
    with time_machine.travel(START, tick=False):
        SecurityEventFactory.create_batch(3)
    _security_log_job_acting(monkeypatch, lambda queryset: 0)
    with (
        time_machine.travel(START + datetime.timedelta(days=400), tick=False),
        pytest.raises(engine.RetentionStalled),
    ):
        engine.retention_run(apply=True, batch_size=2, rules=["security-log"])
    assert RetentionRun.objects.get().status == "failed"
    assert SecurityEvent.objects.count() == 3


def test_purged_customers_leave_no_trace_in_raw_rows():
    with time_machine.travel(START, tick=False):
        gone = UserFactory(verified=False, email="vanishing.customer@example.com")
        gone.first_name = "Vanessa"
        gone.save()
        SecurityEventFactory(user=gone, ip_address="192.0.2.44")
    with time_machine.travel(START + datetime.timedelta(days=400), tick=False):
        run("--apply")
    leftovers = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                if "vanishing.customer" in text or "192.0.2.44" in text:
                    leftovers.append((table, columns))
    assert leftovers == []


def _privacy_request(**kwargs):
    return PrivacyRequest.objects.create(
        reference=f"PR-{PrivacyRequest.objects.count() + 1:05d}",
        kind="access",
        email="ada.request@example.com",
        email_digest="d" * 64,
        name="Ada Request",
        message="Please send me my data.",
        **kwargs,
    )


@pytest.mark.parametrize(("days_later", "kept"), [(1094, True), (1096, False)])
def test_closed_privacy_requests_are_deleted_three_years_after_closure(days_later, kept):
    with time_machine.travel(START - datetime.timedelta(days=60), tick=False):
        request = _privacy_request()  # sent long before it was closed
        still_open = _privacy_request(status=PrivacyRequestStatus.OPEN)
    with time_machine.travel(START, tick=False):
        privacy_request_close(privacy_request=request)
    with time_machine.travel(START + datetime.timedelta(days=days_later), tick=False):
        run("--apply")
    assert PrivacyRequest.objects.filter(pk=request.pk).exists() is kept
    assert PrivacyRequest.history.filter(id=request.pk).exists() is kept
    assert PrivacyRequest.objects.filter(pk=still_open.pk).exists()


def _task_result(status, finished_at):
    return DBTaskResult.objects.create(
        status=status,
        finished_at=finished_at,
        args_kwargs={"args": [], "kwargs": {"to": ["ada@example.com"], "text": "Your order"}},
        task_path="privacy.tasks.email_deliver",
        backend_name="default",
        queue_name="default",
        run_after=START,
        exception_class_path="",
        traceback="",
    )


@pytest.mark.parametrize(("days_later", "kept"), [(6, True), (8, False)])
def test_finished_email_tasks_are_deleted_after_a_week(days_later, kept):
    sent = _task_result(TaskResultStatus.SUCCESSFUL, START)
    failed = _task_result(TaskResultStatus.FAILED, START)
    waiting = _task_result(TaskResultStatus.READY, None)
    with time_machine.travel(START + datetime.timedelta(days=days_later), tick=False):
        run("--apply")
    assert DBTaskResult.objects.filter(pk__in=[sent.pk, failed.pk]).count() == (2 if kept else 0)
    assert DBTaskResult.objects.filter(pk=waiting.pk).exists()
