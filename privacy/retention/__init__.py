"""Retention: the policy's schedule, applied by `manage.py retention`.

Each rule of ``privacy.policy.RETENTION`` whose action is delete or anonymise is carried
out by one or more jobs. Apps register the jobs for their own data in their
``personal_data.py``, next to the declarations::

    from privacy import retention

    retention.register(
        rule="security-log",            # a key of privacy.policy.RETENTION
        model=SecurityEvent,
        due=lambda now, period: SecurityEvent.objects.filter(created_at__lt=now - period),
        act=retention.delete_rows,      # or anonymise_rows({...}), or a function (queryset) -> int
    )

``due(now, period)`` returns the rows whose time has come (``period`` is the rule's,
ending at ``now``: months are calendar months, see ``privacy.calendar``);
``act(queryset)`` is called on one batch of them at a time, inside one transaction,
and returns how many rows it changed. Because ``due`` is a condition and not a list,
a run that stops half-way is finished by the next one, and a second run finds nothing.

Also here: ``engine`` (the run itself), ``inactivity`` (the inactive-customer rule:
notice, then closure) and ``admin`` (the record of runs).
"""

from privacy.retention.jobs import (
    IdList,
    RetentionJob,
    anonymise_rows,
    delete_rows,
    jobs,
    kept_counters,
    register,
    register_kept,
)

__all__ = [
    "IdList",
    "RetentionJob",
    "anonymise_rows",
    "delete_rows",
    "jobs",
    "kept_counters",
    "register",
    "register_kept",
]
