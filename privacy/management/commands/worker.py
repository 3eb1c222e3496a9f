"""Run the task queue's worker (in production, beside gunicorn, under a supervisor):

    manage.py worker                      # the default queue
    manage.py worker --queue-name '*'     # every queue

django-tasks-db's ``db_worker`` with its options, which also survives a database
restart and runs again the tasks of workers that died (privacy.queue_worker). It never
reloads itself on code changes (``--reload`` is ignored): restart it after a deploy."""

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from privacy.queue_worker import ResilientWorker


class Command(db_worker.Command):
    help = (
        "Run the task queue's worker: it waits out a database restart and runs again "
        "the tasks of workers that died."
    )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        exclude_queues,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        **options,
    ):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
