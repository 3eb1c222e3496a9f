"""The disclosure ledger: which personal data went to which processor, why, and what
came of it (shown to the customer on their account page and in their export).

A row says what was handed over, named from the payload itself (`fields_sent`): the
keys of what the processor was given, never their values. Messages of the outbox
(e-mails, text messages) write one row per attempt: `sent` once the provider accepted
it, `failed` when the attempt failed and another will follow, `dead` when the outbox
gave up; a retry is an attempt after the first (`attempt`). Payments, courier labels
and review invitations write a row once the processor has accepted what was sent."""

from django.utils.translation import gettext_lazy as _

from privacy import policy
from privacy.models import Disclosure, DisclosureOutcome, OutboxStatus, User

# What the ledger says went out, as the customer reads it. Keys are stored in the rows.
FIELD_LABELS = {
    "name": _("name"),
    "email": _("e-mail address"),
    "phone": _("mobile number"),
    "delivery address": _("delivery address"),
    "order number": _("order number"),
    "amount": _("amount"),
    "currency": _("currency"),
    "language": _("language"),
    "subject": _("the message's subject"),
    "message": _("the message's text"),
    "unsubscribe link": _("a link to unsubscribe"),
    "card data": _("card number, expiry date and security code"),
    "ip address": _("your browser's IP address"),
    "user agent": _("your browser's name and version (user agent)"),
}
# A file attached to an e-mail is stored as "attachment:<file name>".
ATTACHMENT = "attachment:"

# The outbox's status after an attempt, as the outcome of that attempt.
OUTBOX_OUTCOMES = {
    OutboxStatus.SENT: DisclosureOutcome.SENT,
    OutboxStatus.RETRYING: DisclosureOutcome.FAILED,
    OutboxStatus.DEAD: DisclosureOutcome.DEAD,
}


class DisclosureNotAllowed(ValueError):
    """A payload holds more than the policy lets its processor receive."""


def disclosure_check(*, processor: str, fields) -> tuple:
    """Refuse, before anything is sent, `fields` (named by `fields_sent`) that the
    policy does not let `processor` receive (`Processor.may_receive`); returns them."""
    allowed = policy.PROCESSORS[processor].may_receive
    extra = [key for key in fields if allowed and key not in allowed]
    if extra:
        raise DisclosureNotAllowed(
            f"The policy lets {processor!r} receive only {list(allowed)}, not {extra}."
        )
    return tuple(fields)


def fields_sent(payload: dict, words: dict) -> tuple:
    """The ledger's names for what `payload` (the very values handed to a processor)
    holds: each key with a value, in the words `words` gives it. A key that `words`
    maps to None carries nothing about the person (a message's id, a sender name); a
    key `words` does not know is named by itself, so nothing sent goes unnamed."""
    named = []
    for key, value in payload.items():
        if value in (None, "", (), [], {}):
            continue
        word = words.get(key, key)
        if word is not None:
            named.append(word)
    return tuple(dict.fromkeys(named))


def disclosure_record(
    *,
    user: User,
    processor: str,
    purpose: str,
    fields,
    categories=(),
    reference: str = "",
    outcome: str = DisclosureOutcome.SENT,
    attempt: int = 1,
):
    """Write to the disclosure ledger that `fields` (of `categories`) of `user` went
    to `processor` for `purpose` (or were tried: `outcome`, on the `attempt`-th try).

    Processor, purpose and categories must be keys of the policy registry, and the
    categories among the purpose's, so a disclosure the privacy page does not announce
    cannot be recorded. A processor the running configuration does not use (a console
    backend in development prints on this server) received nothing: no row."""
    if processor not in policy.PROCESSORS:
        raise ValueError(f"Unknown processor {processor!r}: add it to privacy.policy first.")
    if processor not in policy.processors_in_use():
        return None
    if purpose not in policy.PURPOSES:
        raise ValueError(f"Unknown purpose {purpose!r}: add it to privacy.policy first.")
    outside = [key for key in categories if key not in policy.PURPOSES[purpose].categories]
    if outside:
        raise ValueError(f"Unknown categories {outside} for the purpose {purpose!r}.")
    disclosure_check(processor=processor, fields=fields)
    return Disclosure.objects.create(
        user=user,
        processor=processor,
        purpose=purpose,
        categories=list(categories),
        fields=list(fields),
        reference=reference,
        outcome=outcome,
        attempt=attempt,
    )


def disclosure_record_once(*, since, **disclosed) -> Disclosure | None:
    """`disclosure_record`, unless the same fields went to the same processor for the
    same purpose and reference at or after `since` (the same news told twice)."""
    already = Disclosure.objects.filter(
        user=disclosed["user"],
        processor=disclosed["processor"],
        purpose=disclosed["purpose"],
        reference=disclosed.get("reference", ""),
        fields=list(disclosed["fields"]),
        created_at__gte=since,
    )
    if already.exists():
        return None
    return disclosure_record(**disclosed)


def attempt_disclosure_record(*, status: str, user: User | None, **disclosed) -> None:
    """One attempt of an outbox message (privacy.outbox) at a processor, recorded with
    its outcome, read off the row's `status` after the attempt. Nothing is recorded for
    a message to no account, or when the attempt ended no way the ledger knows (the
    row was taken over by another worker)."""
    outcome = OUTBOX_OUTCOMES.get(status)
    if user is not None and outcome is not None:
        disclosure_record(user=user, outcome=outcome, **disclosed)


def field_label(key: str) -> str:
    if key.startswith(ATTACHMENT):
        return str(_("attached file %(name)s") % {"name": key.removeprefix(ATTACHMENT)})
    return str(FIELD_LABELS.get(key, key))


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
        "fields": [field_label(name) for name in row.fields],
        "outcome": str(DisclosureOutcome(row.outcome).label),
    }


def disclosures_for(*, user: User):
    return Disclosure.objects.filter(user=user).order_by("-created_at", "-id")
