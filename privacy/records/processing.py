"""The record of processing activities (article 30), built from the policy registry.

One activity per purpose: its lawful basis, the categories of data and of people, the
recipients, transfers outside the UK and the EEA with their safeguard, how long the
data is kept and the security measures. Nothing here is written by hand: a change to
the registry changes the record.
"""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from privacy import policy


@dataclass(frozen=True)
class Transfer:
    recipient: str
    locations: str
    safeguard: str


@dataclass(frozen=True)
class Activity:
    key: str
    purpose: str
    basis: str
    data_categories: tuple[str, ...]
    subjects: tuple[str, ...]
    recipients: tuple[str, ...]
    transfers: tuple[Transfer, ...]
    retention: tuple[str, ...]


def processing_activities() -> list[Activity]:
    """The activities of the running configuration, every label in the active language:
    a processor that is not configured is no recipient, and a purpose that exists only
    with it is no activity."""
    in_use = policy.policy_in_use()
    activities = []
    for purpose in in_use.purposes:
        processors = in_use.processors_of(purpose)
        activities.append(
            Activity(
                key=purpose.key,
                purpose=str(purpose.label),
                basis=str(purpose.basis_label),
                data_categories=tuple(str(policy.CATEGORIES[c].label) for c in purpose.categories),
                subjects=tuple(
                    str(policy.SUBJECTS[s]) for s in policy.purpose_subjects(purpose.key)
                ),
                recipients=tuple(f"{p.label} ({p.locations})" for p in processors),
                transfers=tuple(
                    Transfer(str(p.label), str(p.locations), str(p.safeguard))
                    for p in processors
                    if p.outside_eea
                ),
                retention=tuple(
                    f"{rule.label}: {rule.period_label} ({rule.action_label})"
                    for rule in in_use.rules_of(purpose)
                ),
            )
        )
    return activities


def processors() -> list[policy.Processor]:
    """The processors in use, with what each receives and where."""
    return list(policy.processors_in_use().values())


def security_measures() -> list[str]:
    return [str(measure) for measure in policy.SECURITY_MEASURES]


def controller() -> dict:
    facts = policy.controller()
    return {
        "name": facts["name"],
        "address": facts["address"],
        "company_number": facts["company_number"],
        "contact": facts["privacy_email"],
    }


def processing_record_csv() -> str:
    """The record as CSV, one row per activity, headers in the active language."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Purpose"),
            _("Lawful basis"),
            _("Categories of data"),
            _("Categories of people"),
            _("Recipients"),
            _("Transfers outside the UK and EEA"),
            _("Retention"),
            _("Security measures"),
        ]
    )
    measures = " ".join(security_measures())
    for activity in processing_activities():
        writer.writerow(
            [
                activity.purpose,
                activity.basis,
                "; ".join(activity.data_categories),
                "; ".join(activity.subjects),
                "; ".join(activity.recipients) or _("none"),
                "; ".join(
                    f"{t.recipient} ({t.locations}): {t.safeguard}" for t in activity.transfers
                )
                or _("none"),
                "; ".join(activity.retention) or _("see the retention schedule"),
                measures,
            ]
        )
    return out.getvalue()
