"""The register of personal data breaches: the regulator's 72-hour deadline, the
decision to tell the people affected, and the breach's status, which moves only here
(through the shared lifecycle skeleton)."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.lifecycle import Lifecycle, lifecycle_move, row_lock
from privacy.models import BreachCustomerDecision, BreachStatus, PersonalDataBreach

# UK GDPR article 33(1): report within 72 hours of becoming aware of it.
REPORT_WITHIN = datetime.timedelta(hours=72)

S = BreachStatus
BREACH_LIFECYCLE = Lifecycle(
    moves={
        S.OPEN: frozenset({S.REPORTED, S.NOT_REPORTABLE}),
        # A breach judged harmless can be reported after all, if new facts come in.
        S.NOT_REPORTABLE: frozenset({S.REPORTED, S.CLOSED}),
        S.REPORTED: frozenset({S.CLOSED}),
        S.CLOSED: frozenset(),
    },
    stamps={S.CLOSED: "closed_at"},
)


class BreachRefused(Exception):
    """The step cannot be taken; the message says why, in the staff's language."""


def breach_report_due(breach: PersonalDataBreach) -> datetime.datetime:
    return breach.found_at + REPORT_WITHIN


def breach_is_overdue(breach: PersonalDataBreach, *, now=None) -> bool:
    now = now or timezone.now()
    return breach.status == S.OPEN and breach_report_due(breach) < now


def breach_lateness(breach: PersonalDataBreach, *, now=None) -> datetime.timedelta | None:
    """How far past the 72 hours the report went (or, still open, has gone so far);
    None when it was, or still can be, on time. A breach judged not reportable has
    no report to be late."""
    if breach.status == S.OPEN:
        late = (now or timezone.now()) - breach_report_due(breach)
    elif breach.reported_at is not None:
        late = breach.reported_at - breach_report_due(breach)
    else:
        return None
    return late if late > datetime.timedelta(0) else None


# The facts the deadline is computed from: locked once the breach leaves "open".
DEADLINE_FACTS = ("found_at", "occurred_at")


def breach_facts_locked(breach: PersonalDataBreach) -> bool:
    return breach.pk is not None and breach.status != S.OPEN


def breaches_overdue(*, now=None):
    """Open breaches whose 72 hours have run out without a decision."""
    now = now or timezone.now()
    return PersonalDataBreach.objects.filter(status=S.OPEN, found_at__lt=now - REPORT_WITHIN)


def breaches_reported_late():
    """Breaches reported to the regulator after their 72 hours."""
    return PersonalDataBreach.objects.filter(
        reported_at__gt=F("found_at") + REPORT_WITHIN, status__in=(S.REPORTED, S.CLOSED)
    )


def breach_report(
    *,
    breach: PersonalDataBreach,
    reported_at: datetime.datetime,
    authority_reference: str,
    late_reason: str = "",
) -> bool:
    """Record that the breach was reported to the regulator, with its reference, and,
    for a report made after the 72 hours, the reason for the delay (required then)."""
    if reported_at > timezone.now():
        raise BreachRefused(_("A report cannot be dated in the future."))
    if reported_at < breach.found_at:
        raise BreachRefused(_("A report cannot be dated before the breach was found."))
    late = reported_at > breach_report_due(breach)
    if late and not late_reason.strip():
        raise BreachRefused(
            _(
                "This report is more than 72 hours after the breach was found: "
                "give the reason for the delay."
            )
        )
    return lifecycle_move(
        lifecycle=BREACH_LIFECYCLE,
        row=breach,
        to=S.REPORTED,
        reason="reported to the regulator late" if late else "reported to the regulator",
        extra_fields={
            "reported_at": reported_at,
            "authority_reference": authority_reference,
            "late_reason": late_reason.strip() if late else "",
        },
    )


def breach_not_reportable(*, breach: PersonalDataBreach, reason: str) -> bool:
    """Record the decision that the breach is unlikely to put people at risk, and why."""
    if not reason.strip():
        raise BreachRefused(_("Say why the breach need not be reported."))
    return lifecycle_move(
        lifecycle=BREACH_LIFECYCLE,
        row=breach,
        to=S.NOT_REPORTABLE,
        reason="judged not reportable",
        extra_fields={"not_reportable_reason": reason.strip()},
    )


@transaction.atomic
def breach_customers_decide(
    *,
    breach: PersonalDataBreach,
    decision: str,
    reason: str,
    told_at: datetime.datetime | None = None,
) -> None:
    """Record whether the people affected are told (article 34), with the reason, and
    when they were told."""
    if decision not in (BreachCustomerDecision.TELL, BreachCustomerDecision.NO_NEED):
        raise BreachRefused(_("Choose whether to tell the people affected."))
    if not reason.strip():
        raise BreachRefused(_("Give the reason for the decision."))
    if decision == BreachCustomerDecision.NO_NEED and told_at is not None:
        raise BreachRefused(_("A date of telling them goes only with a decision to tell them."))
    locked = row_lock(breach)
    if locked.status == S.CLOSED:
        raise BreachRefused(_("This breach is closed."))
    locked.customer_decision = decision
    locked.customer_decision_reason = reason.strip()
    locked.customers_told_at = told_at
    locked._change_reason = "decision on telling the people affected"
    locked.save(
        update_fields=["customer_decision", "customer_decision_reason", "customers_told_at"]
    )
    breach.refresh_from_db()


def breach_close(*, breach: PersonalDataBreach) -> bool:
    """Close a breach once both decisions are on record."""

    def both_decided(locked, from_status):
        if locked.customer_decision == BreachCustomerDecision.UNDECIDED:
            raise BreachRefused(_("Decide whether to tell the people affected before closing."))
        if (
            locked.customer_decision == BreachCustomerDecision.TELL
            and locked.customers_told_at is None
        ):
            raise BreachRefused(_("Record when the people affected were told before closing."))

    return lifecycle_move(
        lifecycle=BREACH_LIFECYCLE, row=breach, to=S.CLOSED, reason="closed", before=both_decided
    )
