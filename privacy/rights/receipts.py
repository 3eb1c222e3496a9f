"""Erasure receipts: the verification code's hash (all we store of it) and the receipt
in words, in the reader's language. Account closure (``erasure``) writes them."""

import datetime
import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from privacy import policy, registry
from privacy.models import ErasureReceipt

EXTRA_LABELS = {
    "sessions": _("Your sign-in sessions"),
    "history": _("Change history about you (earlier versions of erased records)"),
    "sent-emails": _("E-mails we sent you (no copy is kept beyond our sending queue)"),
}

# A closure option the customer did not choose: the rows are not kept.
OPTION_ENDED = "ended"


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


@dataclass(frozen=True)
class ReceiptLine:
    title: object
    outcome: object
    until: datetime.date | None
    reason: object
    # How many records the database showed after the erasure (None on older receipts).
    records: int | None = None


def receipt_lines(*, receipt: ErasureReceipt) -> list[ReceiptLine]:
    """The receipt in words (in the active language): what, what happened, until when,
    why."""
    by_label = {d.label: d for d in registry.declarations()}
    options = {f"option:{o.key}": o for o in registry.closure_options()}
    lines = []
    for item in receipt.outcomes:
        key = item["key"]
        declaration = by_label.get(key.removeprefix("history:"))
        if key in by_label:
            title = declaration.heading
        elif key in options:
            title = options[key].label
        elif declaration is not None:
            title = _("Earlier versions of: %(records)s") % {"records": declaration.heading}
        else:
            title = EXTRA_LABELS.get(key, key)
        if item["outcome"] == OPTION_ENDED:
            outcome = _("not kept: future warranty claims can no longer be handled")
        else:
            outcome = policy.Outcome(item["outcome"]).label
        if item.get("minimised") and declaration is not None:
            fields = declaration.model._meta
            outcome = _("%(outcome)s, without: %(fields)s") % {
                "outcome": outcome,
                "fields": ", ".join(
                    str(fields.get_field(n).verbose_name) for n in item["minimised"]
                ),
            }
        rule = policy.RETENTION.get(item["retention"]) if item["retention"] else None
        until = datetime.date.fromisoformat(item["until"]) if item["until"] else None
        reason = rule.label if rule else ""
        if rule and not until and item["outcome"] == policy.Outcome.KEEP and rule.until:
            reason = _("%(rule)s: %(period)s") % {"rule": rule.label, "period": rule.period_label}
        elif rule and not until and item["outcome"] == policy.Outcome.KEEP:
            reason = _("%(rule)s: %(period)s from %(trigger)s") % {
                "rule": rule.label,
                "period": rule.period_label,
                "trigger": rule.trigger,
            }
        lines.append(
            ReceiptLine(
                title=title, outcome=outcome, until=until, reason=reason, records=item.get("rows")
            )
        )
    return lines
