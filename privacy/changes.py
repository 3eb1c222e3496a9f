"""Bulk changes to personal-data rows, announced to whoever keeps copies derived from
them (the shop's kept customer pages, say).

Saving or deleting a row one by one sends Django's own signals. Retention and erasure
change rows in bulk (one UPDATE or DELETE for a batch), which sends none for updates
and one per row for deletions: they announce the batch instead, before changing it,
with ``rows_changing`` (``sender`` the model, ``pks`` the rows' keys), and while the
announced change runs, ``announced()`` is True, so a listener can skip the per-row
signals of rows it has already heard of."""

import contextvars
from contextlib import contextmanager

from django.dispatch import Signal

rows_changing = Signal()

_announced = contextvars.ContextVar("rows_changing_announced", default=False)


def announced() -> bool:
    return _announced.get()


@contextmanager
def rows_change_announced(model, pks):
    """Announce that the rows `pks` of `model` are about to change, then run the change."""
    rows_changing.send(sender=model, pks=list(pks))
    token = _announced.set(True)
    try:
        yield
    finally:
        _announced.reset(token)
