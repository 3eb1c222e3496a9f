"""After a database restore: close again every account the erasure journal says was
closed (``manage.py erasure_replay``)."""

from dataclasses import dataclass, field

from privacy.models import User
from privacy.rights.erasure import account_close
from privacy.rights.journal import entry_matches, journal_entries


@dataclass
class ReplayReport:
    entries: int = 0
    closed: list[int] = field(default_factory=list)  # user ids closed (again)


def erasures_replay(*, apply: bool) -> ReplayReport:
    """Find each journal entry's account in this database (id and e-mail hash must
    both match); with ``apply``, close it as it was closed before, without a second
    receipt. Idempotent: an account already gone is not found."""
    entries = journal_entries()
    report = ReplayReport(entries=len(entries))
    by_id = {}
    for entry in entries:
        by_id.setdefault(entry.user_id, []).append(entry)
    users = User.objects.filter(pk__in=by_id, is_active=True).only("pk", "email")
    for user in users.iterator():
        if any(entry_matches(e, user_id=user.pk, email=user.email) for e in by_id[user.pk]):
            report.closed.append(user.pk)
    if apply:
        for user in User.objects.filter(pk__in=report.closed):
            account_close(user=user, notify=False)
    return report
