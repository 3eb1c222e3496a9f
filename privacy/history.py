"""django-simple-history's ``HistoricalRecords``, with one addition for erasure.

simple-history writes a full copy of every row it sees deleted. When a row is erased
(retention, account closure), that copy and the row's older copies are deleted right
after, or they would defeat the erasure. Inside ``deletions_unrecorded()`` the last copy
is not written at all: same end state, without one INSERT (and one read of every field,
decrypting the encrypted ones) per erased row. The caller still deletes the older
history rows.

Every model with history declares it with this class::

    from privacy.history import HistoricalRecords

    history = HistoricalRecords()
"""

import contextlib
import contextvars

from simple_history import models as simple_history

_unrecorded = contextvars.ContextVar("privacy_deletions_unrecorded", default=False)


@contextlib.contextmanager
def deletions_unrecorded():
    """Rows deleted in this context get no last history row (the caller erases their
    history itself)."""
    token = _unrecorded.set(True)
    try:
        yield
    finally:
        _unrecorded.reset(token)


class HistoricalRecords(simple_history.HistoricalRecords):
    def pre_delete(self, instance, **kwargs):
        if not _unrecorded.get():  # it loads deferred fields for the last copy
            super().pre_delete(instance, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if not _unrecorded.get():
            super().post_delete(instance, using=using, **kwargs)
