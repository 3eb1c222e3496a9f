"""The disclosure ledger: which personal fields went to which processor, and why
(shown to the customer in their export)."""

from privacy import policy
from privacy.models import Disclosure, User


def disclosure_record(*, user: User, processor: str, purpose: str, fields, reference: str = ""):
    """Write to the disclosure ledger that `fields` of `user` went to `processor`.

    Processor and purpose must be keys of the policy registry, so a disclosure the
    privacy page does not announce cannot be recorded."""
    if processor not in policy.PROCESSORS:
        raise ValueError(f"Unknown processor {processor!r}: add it to privacy.policy first.")
    if purpose not in policy.PURPOSES:
        raise ValueError(f"Unknown purpose {purpose!r}: add it to privacy.policy first.")
    return Disclosure.objects.create(
        user=user, processor=processor, purpose=purpose, fields=list(fields), reference=reference
    )
