"""The task queue's worker (``manage.py worker``): django-tasks-db's worker, made to
survive what kills it in production.

- **A dead worker's tasks run again.** django-tasks-db marks a task RUNNING when a
  worker claims it, and nothing changes that if the worker dies (SIGKILL, out of memory,
  a lost machine): the task would stay RUNNING forever. Each worker here records that it
  is alive (a ``QueueWorker`` row, refreshed by a heartbeat thread every sixth of
  TASKS_WORKER_TIMEOUT), and every worker, when it starts and then every half timeout,
  puts back in the queue the running tasks whose worker has not been seen for
  TASKS_WORKER_TIMEOUT seconds. Delivery is at least once: a task may run again after
  its worker died in the middle of it, so every task must be safe to run twice (the
  e-mail and text-message outboxes send each message once).
- **A database restart is waited out.** django-tasks-db's loop exits on the first
  connection error; this worker closes the broken connections, waits (0.5 s doubling up
  to 10 s) and carries on, and puts back in the queue what it was running when the
  connection broke. A task that failed because its database connection broke goes back
  too, after a pause.
- A task claimed TASKS_WORKER_MAX_ATTEMPTS times without finishing is marked failed
  (``WorkerLost``) rather than retried forever: a task that kills its worker would
  otherwise kill every worker in turn.
"""

import contextlib
import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.db import connections as database_connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from privacy.models import QueueWorker

logger = logging.getLogger("privacy.queue_worker")

# Errors that mean the database connection broke (or a transient database condition):
# the task did not fail on its own account, so it goes back to the queue.
CONNECTION_ERRORS = (OperationalError, InterfaceError)
CONNECTION_ERROR_PATHS = frozenset(
    f"{error.__module__}.{error.__qualname__}" for error in CONNECTION_ERRORS
)
RECONNECT_FIRST_WAIT, RECONNECT_LONGEST_WAIT = 0.5, 10.0
# Workers not seen for this many timeouts are forgotten (their tasks went back long ago).
FORGET_AFTER_TIMEOUTS = 10


class WorkerLost(Exception):
    """The task's worker stopped in the middle of it too many times."""


def worker_timeout() -> timedelta:
    return timedelta(seconds=settings.TASKS_WORKER_TIMEOUT)


def worker_seen(*, worker_id: str) -> None:
    """The worker is alive now."""
    now = timezone.now()
    updated = QueueWorker.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        QueueWorker.objects.get_or_create(worker_id=worker_id, defaults={"seen_at": now})


def worker_gone(*, worker_id: str) -> None:
    """The worker stopped cleanly (it finished its task first)."""
    QueueWorker.objects.filter(worker_id=worker_id).delete()


def _task_requeue(task: DBTaskResult, *, status: str, now, delay: timedelta) -> bool:
    """Back to the queue (True), or failed for good after too many attempts (False).
    Only from `status` and the claim that was judged (its start), so a task another
    worker moved or claimed meanwhile is left alone (False)."""
    tasks = DBTaskResult.objects.filter(pk=task.pk, status=status, started_at=task.started_at)
    if len(task.worker_ids) >= settings.TASKS_WORKER_MAX_ATTEMPTS:
        error = WorkerLost(
            f"Started {len(task.worker_ids)} times; its worker stopped each time before "
            "it finished."
        )
        if tasks.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{__name__}.{WorkerLost.__qualname__}",
            traceback=str(error),
        ):
            logger.error("Task %s (%s) failed: %s", task.pk, task.task_path, error)
        return False
    changes = {"status": TaskResultStatus.READY, "finished_at": None}
    if delay:
        changes["run_after"] = now + delay
    if not tasks.update(**changes):
        return False
    logger.warning("Task %s (%s) is back in the queue.", task.pk, task.task_path)
    return True


def tasks_requeue_abandoned(*, now=None) -> int:
    """Put back in the queue the running tasks whose worker has not been seen for
    TASKS_WORKER_TIMEOUT (or, for a worker that never said it was alive, that started
    longer ago than that). Returns how many went back."""
    now = now or timezone.now()
    lost_before = now - worker_timeout()
    seen = dict(QueueWorker.objects.values_list("worker_id", "seen_at"))
    requeued = 0
    for task in DBTaskResult.objects.running().only("pk", "task_path", "worker_ids", "started_at"):
        claimed_by = task.worker_ids[-1] if task.worker_ids else None
        last_sign_of_life = seen.get(claimed_by) or task.started_at
        if last_sign_of_life is None or last_sign_of_life < lost_before:
            requeued += _task_requeue(
                task, status=TaskResultStatus.RUNNING, now=now, delay=timedelta(0)
            )
    QueueWorker.objects.filter(seen_at__lt=now - FORGET_AFTER_TIMEOUTS * worker_timeout()).delete()
    return requeued


def tasks_requeue_claimed_by(*, worker_id: str) -> int:
    """This worker lost its database connection: the tasks it was running are back in
    the queue (it is not running them any more)."""
    now = timezone.now()
    return sum(
        _task_requeue(task, status=TaskResultStatus.RUNNING, now=now, delay=timedelta(0))
        for task in DBTaskResult.objects.running()
        if task.worker_ids and task.worker_ids[-1] == worker_id
    )


def task_requeue_interrupted(*, task: DBTaskResult) -> bool:
    """A task that failed on a broken database connection runs again after a pause
    (2, 4, 8 ... seconds by attempt, at most a minute)."""
    delay = timedelta(seconds=min(60, 2 ** len(task.worker_ids)))
    return _task_requeue(task, status=TaskResultStatus.FAILED, now=timezone.now(), delay=delay)


class Heartbeat(threading.Thread):
    """Says the worker is alive every sixth of the timeout, and every half timeout puts
    back in the queue the tasks of workers that are not. Its own database connection;
    a database error waits for the next beat."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = settings.TASKS_WORKER_TIMEOUT / 6
        self.stopped = threading.Event()

    def run(self) -> None:
        beats = 0
        try:
            while not self.stopped.wait(self.every):
                beats += 1
                try:
                    close_old_connections()
                    worker_seen(worker_id=self.worker_id)
                    if beats % 3 == 0:
                        tasks_requeue_abandoned()
                except DatabaseError as error:
                    logger.warning("Heartbeat of worker %s missed: %s", self.worker_id, error)
        finally:
            database_connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=30)


class ResilientWorker(Worker):
    """django-tasks-db's worker with a heartbeat, recovery of dead workers' tasks, and
    reconnection after a database restart (see the module's doc)."""

    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        wait, connection_lost = RECONNECT_FIRST_WAIT, False
        try:
            while self.running:
                try:
                    worker_seen(worker_id=self.worker_id)
                    wait = RECONNECT_FIRST_WAIT
                    if heartbeat.ident is None:
                        heartbeat.start()
                    if connection_lost:
                        tasks_requeue_claimed_by(worker_id=self.worker_id)
                        logger.warning("Worker %s is connected again.", self.worker_id)
                    tasks_requeue_abandoned()
                    super().run()
                    return
                except CONNECTION_ERRORS as error:
                    logger.warning(
                        "Worker %s lost the database (%s); trying again in %.1f s.",
                        self.worker_id,
                        str(error).strip().splitlines()[0] if str(error).strip() else error,
                        wait,
                    )
                    connection_lost = True
                    database_connections.close_all()
                    time.sleep(wait)
                    wait = min(RECONNECT_LONGEST_WAIT, wait * 2)
        finally:
            heartbeat.stop()
            with contextlib.suppress(DatabaseError):  # else it is forgotten once silent
                worker_gone(worker_id=self.worker_id)
            database_connections.close_all()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if (
            db_task_result.status == TaskResultStatus.FAILED
            and db_task_result.exception_class_path in CONNECTION_ERROR_PATHS
        ):
            task_requeue_interrupted(task=db_task_result)
