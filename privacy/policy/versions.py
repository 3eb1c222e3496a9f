"""Policy versions and their effective dates."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Policy versions -------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyVersion:
    code: str
    effective: datetime.date
    summary: object
    # Consent purposes whose terms this version changed: customers who said yes under
    # an earlier version are asked again at their next sign-in.
    changed_purposes: tuple = ()


VERSIONS = (
    PolicyVersion("2019-04", datetime.date(2019, 4, 11), _("First published version.")),
    PolicyVersion(
        "2026-11",
        datetime.date(2026, 11, 1),
        _(
            "Separate choices for e-mail offers, text message offers and review "
            "invitations; cookie consent by category; retention periods listed one by one."
        ),
        changed_purposes=("marketing-email", "marketing-sms", "review-invitations"),
    ),
)


def version_current(*, today=None) -> PolicyVersion:
    """The latest version in force today."""
    today = today or timezone.localdate()
    in_force = [version for version in VERSIONS if version.effective <= today]
    return in_force[-1] if in_force else VERSIONS[0]


def versions_after(code: str, *, today=None) -> list[PolicyVersion]:
    """Versions in force today that came after the one called ``code``."""
    today = today or timezone.localdate()
    codes = [version.code for version in VERSIONS]
    start = codes.index(code) + 1 if code in codes else 0
    return [version for version in VERSIONS[start:] if version.effective <= today]
