"""The retention schedule: for each kind of data, from when, for how long, then what."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from privacy.calendar import months_after

# Retention schedule ----------------------------------------------------------------


class Outcome(models.TextChoices):
    """What happens to personal data, in one vocabulary: the retention schedule's
    actions, the registry's ways of erasing and the lines of an erasure receipt."""

    DELETE = "delete", _("deleted")
    ANONYMISE = "anonymise", _("anonymised")
    KEEP = "keep", _("kept")


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: object
    trigger: object
    action: str
    purpose: str
    days: int | None = None
    months: int | None = None
    # A setting that overrides ``months`` (for periods the operator chooses).
    months_setting: str = ""
    # For rules with no fixed period: what the data is kept for, in words.
    until: object = ""
    categories: tuple = field(default=())

    @property
    def period_months(self):
        if self.months_setting:
            return getattr(settings, self.months_setting, self.months)
        return self.months

    def period_at(self, now: datetime.datetime) -> datetime.timedelta | None:
        """The period that ends at `now`, as a duration: months are calendar months
        counted back from `now` (privacy.calendar), so ``now - period_at(now)`` is the
        same day of the month, that many months earlier. None: no fixed period."""
        months = self.period_months
        if months is not None:
            return now - months_after(now, -months)
        if self.days is not None:
            return datetime.timedelta(days=self.days)
        return None

    @property
    def period(self) -> datetime.timedelta | None:
        """The period ending now (see ``period_at``)."""
        return self.period_at(timezone.now())

    @property
    def period_label(self) -> str:
        if self.until:
            return str(self.until)
        months = self.period_months
        if months is not None and months % 12 == 0:
            years = months // 12
            return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
        if months is not None:
            return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
        if self.days is not None:
            return ngettext("%(count)d day", "%(count)d days", self.days) % {"count": self.days}
        return str(self.until)

    @property
    def action_label(self):
        return Outcome(self.action).label


INACTIVE_CUSTOMER_MONTHS = 36
# Database backups (and the erasure journal entries a restore of them would need).
BACKUP_DAYS = 35

RETENTION = {
    rule.key: rule
    for rule in (
        RetentionRule(
            "account",
            _("Your account, profile and preferences"),
            _("opening of the account"),
            Outcome.DELETE,
            "account",
            until=_("as long as your account is open"),
            categories=("contact", "identity", "marketing"),
        ),
        RetentionRule(
            "tax-records",
            _("Orders, invoices and payments (tax records)"),
            _("closure of the account"),
            Outcome.ANONYMISE,
            "tax-records",
            months=84,
            categories=("contact", "identity", "financial", "transaction"),
        ),
        RetentionRule(
            "lifetime-warranty",
            _("Purchases with a lifetime warranty"),
            _("purchase"),
            Outcome.KEEP,
            "warranty",
            until=_(
                "until you ask us to delete them (we then can no longer handle a future claim)"
            ),
            categories=("contact", "identity", "transaction"),
        ),
        RetentionRule(
            "inactive-customer",
            _("Accounts of customers who no longer shop with us"),
            _("last sign-in or order"),
            Outcome.DELETE,
            "account",
            months=INACTIVE_CUSTOMER_MONTHS,
            months_setting="PRIVACY_INACTIVE_CUSTOMER_MONTHS",
            categories=("contact", "identity", "marketing"),
        ),
        RetentionRule(
            "consent-ledger",
            _("The history of your consent choices"),
            _("opening of the account"),
            Outcome.DELETE,
            "account",
            until=_("as long as your account is open"),
            categories=("marketing",),
        ),
        RetentionRule(
            "security-log",
            _("Security log (sign-ins and account changes)"),
            _("the event"),
            Outcome.DELETE,
            "security-audit",
            months=12,
            categories=("technical",),
        ),
        RetentionRule(
            "security-log-ip",
            _("IP addresses in the security log, shortened to their network part"),
            _("the event"),
            Outcome.ANONYMISE,
            "security-audit",
            days=30,
            categories=("technical",),
        ),
        RetentionRule(
            "abandoned-basket",
            _("Baskets that were never ordered"),
            _("last change to the basket"),
            Outcome.DELETE,
            "orders",
            days=30,
            categories=("transaction",),
        ),
        RetentionRule(
            "unverified-signup",
            _("Accounts whose e-mail address was never confirmed"),
            pgettext_lazy("retention counted from", "sign-up"),
            Outcome.DELETE,
            "account",
            days=30,
            categories=("contact", "identity"),
        ),
        RetentionRule(
            "privacy-request",
            _("Privacy requests and our replies"),
            _("closure of the request"),
            Outcome.DELETE,
            "customer-care",
            months=36,
            categories=("contact", "identity", "correspondence"),
        ),
        RetentionRule(
            "expired-cache",
            _("Counters that limit repeated attempts (by a keyed fingerprint of your address)"),
            _("their expiry"),
            Outcome.DELETE,
            "security-audit",
            days=0,
            categories=("technical",),
        ),
        RetentionRule(
            "outgoing-email",
            _("E-mails in our sending queue, sent or waiting"),
            _("sending"),
            Outcome.DELETE,
            "orders",
            days=7,
            categories=("contact",),
        ),
        RetentionRule(
            "backups",
            _("Copies of our database kept to recover from a failure (backups)"),
            _("the copy"),
            Outcome.DELETE,
            "security-audit",
            days=BACKUP_DAYS,
            categories=("contact", "identity", "financial", "transaction", "technical"),
        ),
        RetentionRule(
            "error-reports",
            _("Error reports at the error tracker"),
            _("the report"),
            Outcome.DELETE,
            "error-reports",
            until=_(
                "the period set at the error tracker (30 or 90 days on Sentry's hosted "
                "service, by plan), then deleted by it"
            ),
            categories=("technical",),
        ),
        RetentionRule(
            "statistics",
            _("Anonymised statistics"),
            _("anonymisation"),
            Outcome.KEEP,
            "statistics",
            until=_("indefinitely: they can no longer be linked to you"),
            categories=("transaction",),
        ),
    )
}
