"""The moments at which a customer page would read differently with no data changed:
a withdrawal period's end, a warranty's end, a notice that stops being shown. Code
that compares a time with now for a page says so with ``changes_at(when)``; while a
page is rendered for the customer-page cache (shop.customer_pages.store), the earliest
such moment still to come ends the stored page's life. Elsewhere the call does nothing."""

import contextvars
import datetime

from django.utils import timezone

_moments: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "customer_page_moments", default=None
)


def changes_at(when: datetime.datetime | None) -> None:
    """The page being rendered reads differently from `when` on (if it is still to come)."""
    moments = _moments.get()
    if moments is not None and when is not None and when > timezone.now():
        moments.append(when)


class Collecting:
    """Collects the moments said while a page renders (a context manager)."""

    def __enter__(self):
        self.moments = []
        self._token = _moments.set(self.moments)
        return self

    def __exit__(self, *exc):
        _moments.reset(self._token)

    def earliest(self) -> datetime.datetime | None:
        return min(self.moments, default=None)
