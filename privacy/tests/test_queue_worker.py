"""`manage.py worker`: a task whose worker died runs again (once its worker has been
silent for TASKS_WORKER_TIMEOUT), a task that keeps killing its worker stops being
retried, and a task that failed on a broken database connection goes back to the queue.

The worker closes its database connections as it goes (and its heartbeat is a thread
with its own), so these tests commit for real (`transaction=True`). The faults
themselves (SIGKILL, a PostgreSQL restart) are in tests/faults/."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from privacy.emails import email_send
from privacy.models import OutgoingEmail, PrivacyRequest, QueueWorker
from privacy.queue_worker import tasks_requeue_abandoned

pytestmark = pytest.mark.django_db(transaction=True)

RAN = []


@task
def broken_connection_task() -> None:
    RAN.append("broken")
    raise OperationalError("server closed the connection unexpectedly")


@task
def failing_task() -> None:
    RAN.append("failing")
    raise ValueError("a bug of the task's own")


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [], "OPTIONS": {}}
    }
    settings.TASKS_WORKER_TIMEOUT = 30
    settings.TASKS_WORKER_MAX_ATTEMPTS = 3
    RAN.clear()


def worker_run_batch() -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=io.StringIO())


def queued_email() -> DBTaskResult:
    request = PrivacyRequest.objects.create(
        reference="PR-2026-WRK001",
        email="queued.person@example.org",
        email_digest="d",
        name="Queued Person",
        message="A question",
    )
    email_send(
        to=request.email,
        template="privacy/emails/request_received",
        context={"privacy_request": request},
        language="en",
    )
    return DBTaskResult.objects.get()


def claimed_by(task_result: DBTaskResult, worker_id: str, *, seconds_ago: float, seen=True):
    """`worker_id` claimed the task `seconds_ago` and was last seen then (or never
    said it was alive, as a plain db_worker)."""
    then = timezone.now() - timedelta(seconds=seconds_ago)
    task_result.claim(worker_id)
    DBTaskResult.objects.filter(pk=task_result.pk).update(started_at=then)
    if seen:
        QueueWorker.objects.create(worker_id=worker_id, started_at=then, seen_at=then)


def test_a_task_whose_worker_died_is_run_again_by_the_next_worker(database_queue):
    task_result = queued_email()
    claimed_by(task_result, "killed-worker", seconds_ago=31)

    worker_run_batch()

    task_result.refresh_from_db()
    assert task_result.status == TaskResultStatus.SUCCESSFUL
    assert task_result.worker_ids[0] == "killed-worker"
    assert len(task_result.worker_ids) == 2
    assert [message.to for message in mail.outbox] == [["queued.person@example.org"]]
    # Sent once: the outbox row says so (it is kept, its contents forgotten).
    assert list(OutgoingEmail.objects.values_list("status", flat=True)) == ["sent"]
    # A worker that stops cleanly forgets itself; the dead one is forgotten later.
    assert list(QueueWorker.objects.values_list("worker_id", flat=True)) == ["killed-worker"]


def test_a_task_of_a_worker_seen_within_the_timeout_is_left_to_it(database_queue):
    task_result = queued_email()
    claimed_by(task_result, "busy-worker", seconds_ago=29)

    assert tasks_requeue_abandoned() == 0
    worker_run_batch()

    task_result.refresh_from_db()
    assert task_result.status == TaskResultStatus.RUNNING
    assert mail.outbox == []
    # The same claim, once the worker is silent for the timeout, goes back.
    QueueWorker.objects.update(seen_at=timezone.now() - timedelta(seconds=31))
    assert tasks_requeue_abandoned() == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY


def test_a_task_of_a_worker_that_never_said_it_was_alive_goes_back_once_old(database_queue):
    task_result = queued_email()
    claimed_by(task_result, "plain-db-worker", seconds_ago=10, seen=False)
    assert tasks_requeue_abandoned() == 0
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(seconds=31))
    assert tasks_requeue_abandoned() == 1


def test_a_task_that_keeps_killing_its_worker_fails_instead_of_running_a_fourth_time(
    database_queue,
):
    task_result = queued_email()
    task_result.worker_ids = ["first", "second"]
    task_result.save(update_fields=["worker_ids"])
    claimed_by(task_result, "third", seconds_ago=60)

    worker_run_batch()

    task_result.refresh_from_db()
    assert task_result.status == TaskResultStatus.FAILED
    assert task_result.exception_class_path == "privacy.queue_worker.WorkerLost"
    assert "Started 3 times" in task_result.traceback
    assert mail.outbox == []


def test_a_task_that_failed_on_a_broken_database_connection_goes_back_after_a_pause(
    database_queue,
):
    broken = broken_connection_task.enqueue()
    failing = failing_task.enqueue()

    worker_run_batch()

    assert sorted(RAN) == ["broken", "failing"]
    again = DBTaskResult.objects.get(pk=broken.id)
    assert again.status == TaskResultStatus.READY
    assert timezone.now() < again.run_after <= timezone.now() + timedelta(seconds=3)
    # A task that fails on its own account stays failed: nothing to gain running it again.
    assert DBTaskResult.objects.get(pk=failing.id).status == TaskResultStatus.FAILED
