"""Reads: the current consent state of a customer and their consent history."""

from django.db.models import OuterRef, Subquery

from privacy import policy
from privacy.models import ConsentRecord


def consents_current(*, user) -> dict[str, ConsentRecord]:
    """The latest ledger row of each purpose the customer has answered, in one query."""
    latest = (
        ConsentRecord.objects.filter(user=OuterRef("user"), purpose=OuterRef("purpose"))
        .order_by("-created_at", "-id")
        .values("id")[:1]
    )
    rows = ConsentRecord.objects.filter(user=user, id=Subquery(latest))
    return {row.purpose: row for row in rows}


def consent_is_granted(*, user, purpose: str, current=None) -> bool:
    """True only if the latest answer is yes and no later policy version changed the
    purpose since (then the customer must be asked again first)."""
    current = consents_current(user=user) if current is None else current
    row = current.get(purpose)
    return bool(row and row.granted and not consent_needs_confirmation(row))


def consents_to_confirm(*, user, current=None) -> list[str]:
    """Consent purposes the customer said yes to under a policy version that a newer
    version in force has changed: they are asked again at their next sign-in."""
    current = consents_current(user=user) if current is None else current
    return [
        purpose
        for purpose in policy.MARKETING_PURPOSES
        if (row := current.get(purpose)) and row.granted and consent_needs_confirmation(row)
    ]


def consent_needs_confirmation(row) -> bool:
    """True if a policy version in force after the row's version changed its purpose."""
    return any(
        row.purpose in version.changed_purposes
        for version in policy.versions_after(row.policy_version)
    )


def consent_history(*, user):
    return ConsentRecord.objects.filter(user=user).order_by("-created_at", "-id")
