"""Writes to the consent ledger: answers from forms and the preferences page."""

from django.db import transaction

from privacy import policy
from privacy.consent.selectors import consent_needs_confirmation, consents_current
from privacy.models import ConsentRecord, User


class UnknownConsentPurpose(ValueError):
    pass


@transaction.atomic
def consents_record(*, user: User, choices: dict[str, bool], source: str) -> list[ConsentRecord]:
    """Write one ledger row per purpose whose answer changed (or was never given, or
    was given under a policy version that has since changed the purpose).

    ``choices`` maps consent purpose keys to True (granted) or False (withdrawn). A
    "no" to a purpose never answered changes nothing and is not written.
    """
    offered = {purpose.key for purpose in policy.consent_purposes()}
    unknown = [key for key in choices if key not in offered]
    if unknown:
        raise UnknownConsentPurpose(f"Not consent purposes: {unknown}")
    # Lock the customer's row so two simultaneous submissions cannot interleave.
    User.objects.select_for_update().filter(pk=user.pk).first()
    current = consents_current(user=user)
    version = policy.version_current().code
    written = []
    for purpose, granted in choices.items():
        row = current.get(purpose)
        if row is None and not granted:
            continue  # never said yes: nothing changes
        if row and row.granted == granted and not (granted and consent_needs_confirmation(row)):
            continue
        written.append(
            ConsentRecord.objects.create(
                user=user, purpose=purpose, granted=granted, policy_version=version, source=source
            )
        )
    return written
