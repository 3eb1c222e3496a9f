"""The disclosure ledger: which personal data went to which processor, and why (shown
to the customer on their account page and in their export).

A row is written only once the processor has accepted what was sent (the e-mail or
text message provider took the message, Stripe created the PaymentIntent, the review
service took the invitation, the courier's label was issued): a failed send discloses
nothing and records nothing."""

from django.utils.translation import gettext_lazy as _

from privacy import policy
from privacy.models import Disclosure, User

# What the ledger says went out, as the customer reads it. Keys are stored in the rows.
FIELD_LABELS = {
    "name": _("name"),
    "email": _("e-mail address"),
    "phone": _("mobile number"),
    "delivery address": _("delivery address"),
    "order number": _("order number"),
    "amount": _("amount"),
    "message": _("the message's text"),
}


def disclosure_record(
    *,
    user: User,
    processor: str,
    purpose: str,
    fields,
    categories=(),
    reference: str = "",
):
    """Write to the disclosure ledger that `fields` (of `categories`) of `user` went
    to `processor` for `purpose`.

    Processor, purpose and categories must be keys of the policy registry, and the
    categories among the purpose's, so a disclosure the privacy page does not announce
    cannot be recorded."""
    if processor not in policy.PROCESSORS:
        raise ValueError(f"Unknown processor {processor!r}: add it to privacy.policy first.")
    if purpose not in policy.PURPOSES:
        raise ValueError(f"Unknown purpose {purpose!r}: add it to privacy.policy first.")
    outside = [key for key in categories if key not in policy.PURPOSES[purpose].categories]
    if outside:
        raise ValueError(f"Unknown categories {outside} for the purpose {purpose!r}.")
    return Disclosure.objects.create(
        user=user,
        processor=processor,
        purpose=purpose,
        categories=list(categories),
        fields=list(fields),
        reference=reference,
    )


def disclosure_labels(row: Disclosure) -> dict:
    """One ledger row in the reader's language: to whom, why, what."""
    processor = policy.PROCESSORS.get(row.processor)
    purpose = policy.PURPOSES.get(row.purpose)
    return {
        "processor": str(processor.label) if processor else row.processor,
        "purpose": str(purpose.label) if purpose else row.purpose,
        "categories": [
            str(policy.CATEGORIES[key].label) if key in policy.CATEGORIES else key
            for key in row.categories
        ],
        "fields": [str(FIELD_LABELS.get(name, name)) for name in row.fields],
    }


def disclosures_for(*, user: User):
    return Disclosure.objects.filter(user=user).order_by("-created_at", "-id")
