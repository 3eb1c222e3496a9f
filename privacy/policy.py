"""The privacy policy as data: what the shop collects, why, who processes it, for how long.

Everything the privacy and cookie pages say comes from here, and the code that enforces
the policy (consent ledger, cookie consent, retention, erasure) reads the same entries,
so the pages cannot promise what the code does not do. Labels are translatable.

Keys (``"contact"``, ``"orders"``, ``"tax-records"``...) are stable identifiers: they are
stored in the consent ledger and named by every app's ``personal_data.py``.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Who we are ------------------------------------------------------------------------

CONTROLLER = {
    "name": "Offtek",
    "activity": _("a supplier of computer memory (RAM) upgrades based in the West Midlands"),
    "address": "Claremont House, Broad Lane, Tanworth in Arden, B94 5DY, United Kingdom",
    "company_number": "03148866",
    "privacy_email": "privacy@offtek.example",
    "laws": _(
        "the UK GDPR and the Data Protection Act 2018 and, for our customers in the "
        "European Union, the EU General Data Protection Regulation"
    ),
}

COMPLAINTS = {
    "authority": _("the Information Commissioner's Office (ICO)"),
    "url": "https://ico.org.uk/concerns/",
    "phone": "0303 123 1113",
}


# Lawful bases (UK GDPR article 6) --------------------------------------------------


@dataclass(frozen=True)
class LawfulBasis:
    key: str
    label: object
    explanation: object


BASES = {
    basis.key: basis
    for basis in (
        LawfulBasis(
            "contract",
            _("Performance of a contract"),
            _("We need it to carry out the contract you enter into with us."),
        ),
        LawfulBasis(
            "legal-obligation",
            _("Legal obligation"),
            _("The law requires it of us (tax and accounting records, for example)."),
        ),
        LawfulBasis(
            "legitimate-interests",
            _("Legitimate interests"),
            _(
                "It serves our legitimate interests, or a third party's, and your interests "
                "and fundamental rights do not override them."
            ),
        ),
        LawfulBasis(
            "consent",
            _("Consent"),
            _("You said yes, and you can withdraw at any time as easily as you gave it."),
        ),
    )
}


# Data categories -------------------------------------------------------------------


@dataclass(frozen=True)
class DataCategory:
    key: str
    label: object
    examples: object


CATEGORIES = {
    category.key: category
    for category in (
        DataCategory(
            "contact", _("Contact data"), _("e-mail address, postal addresses, phone numbers")
        ),
        DataCategory("identity", _("Identity data"), _("first and last name, account identifiers")),
        DataCategory(
            "financial",
            _("Financial data"),
            _("payment references and card check results (never your full card number)"),
        ),
        DataCategory(
            "transaction",
            _("Transaction data"),
            _("orders, products bought, prices, deliveries, refunds, warranty claims"),
        ),
        DataCategory(
            "technical",
            _("Technical data"),
            _(
                "IP address, browser and device details, sign-in and security events, traffic "
                "and approximate location derived from the IP address"
            ),
        ),
        DataCategory(
            "marketing",
            _("Marketing data"),
            _("your marketing and review choices, and the history of those choices"),
        ),
        DataCategory(
            "correspondence",
            _("Correspondence"),
            _("your questions and requests, our replies, the messages we send you"),
        ),
    )
}


# How we collect it -----------------------------------------------------------------

COLLECTION_SOURCES = (
    _("when you create an account, fill in a form, place an order or pay"),
    _("when you contact us by phone, e-mail, live chat or otherwise"),
    _("when you enter a competition, promotion or survey, or tell us about any other matter"),
    _(
        "automatically when you use the site: IP address, device details and device events, "
        "approximate location and unique application identifiers"
    ),
)


# Processors ------------------------------------------------------------------------


@dataclass(frozen=True)
class Processor:
    key: str
    label: object
    role: object
    locations: object
    outside_eea: bool
    safeguard: object = ""


PROCESSORS = {
    processor.key: processor
    for processor in (
        Processor(
            "payment",
            _("Payment processing"),
            _("takes card payments and runs the 3-D Secure check with your card issuer"),
            _("United Kingdom and European Economic Area; some processing in the United States"),
            outside_eea=True,
            safeguard=_(
                "standard contractual clauses approved by the European Commission, with the "
                "UK International Data Transfer Addendum"
            ),
        ),
        Processor(
            "couriers",
            _("Delivery couriers"),
            _("deliver your parcels; they receive your name, delivery address and phone number"),
            _("United Kingdom and European Economic Area"),
            outside_eea=False,
        ),
        Processor(
            "analytics",
            _("Analytics and advertising services"),
            _(
                "measure how the site is used and show our adverts, only if you accept "
                "analytics or marketing cookies"
            ),
            _("United States"),
            outside_eea=True,
            safeguard=_(
                "the EU-US Data Privacy Framework and its UK extension, or standard "
                "contractual clauses"
            ),
        ),
        Processor(
            "email",
            _("E-mail and text message services"),
            _("deliver our e-mails and text messages to you"),
            _("European Economic Area"),
            outside_eea=False,
        ),
        Processor(
            "reviews",
            _("Review collection service"),
            _(
                "sends review invitations and collects reviews; it receives your name, e-mail "
                "address and order number"
            ),
            _("European Economic Area"),
            outside_eea=False,
        ),
        Processor(
            "social-media",
            _("Social media applications"),
            _("show our posts and adverts, and the share buttons you choose to use"),
            _("United States"),
            outside_eea=True,
            safeguard=_("standard contractual clauses approved by the European Commission"),
        ),
    )
}


# Purposes --------------------------------------------------------------------------


@dataclass(frozen=True)
class Purpose:
    key: str
    label: object
    basis: str
    section: str
    categories: tuple
    processors: tuple = ()
    # Consent purposes a customer answers yes/no to (they are stored in the ledger).
    asks_consent: bool = False
    notice: object = ""

    @property
    def basis_label(self):
        return BASES[self.basis].label


PURPOSES = {
    purpose.key: purpose
    for purpose in (
        Purpose(
            "orders",
            _("Processing your orders, deliveries and order updates"),
            "contract",
            "orders",
            ("contact", "identity", "financial", "transaction"),
            ("payment", "couriers", "email"),
            notice=_(
                "We use these details to process and deliver your order and to send you "
                "its updates."
            ),
        ),
        Purpose(
            "account",
            _("Identifying you and the accounts you hold with us"),
            "contract",
            "collection",
            ("contact", "identity"),
            ("email",),
            notice=_(
                "We need your e-mail address and a password to create your account; nobody "
                "but you can reach your details without them."
            ),
        ),
        Purpose(
            "customer-care",
            _("Customer care and answering your questions"),
            "contract",
            "contact",
            ("contact", "identity", "correspondence"),
            ("email",),
            notice=_("We use these details only to answer you."),
        ),
        Purpose(
            "fraud-prevention",
            _("Detecting fraud and checking that what you told us is correct"),
            "legitimate-interests",
            "security",
            ("contact", "identity", "financial", "transaction", "technical"),
            ("payment",),
        ),
        Purpose(
            "security-audit",
            _("Keeping a security log of sign-ins and account changes"),
            "legitimate-interests",
            "security",
            ("technical",),
        ),
        Purpose(
            "statistics",
            _("Statistics to improve the site and our range of products"),
            "legitimate-interests",
            "retention",
            ("transaction", "technical"),
        ),
        Purpose(
            "tax-records",
            _("Keeping tax and accounting records"),
            "legal-obligation",
            "retention",
            ("contact", "identity", "financial", "transaction"),
        ),
        Purpose(
            "warranty",
            _("Handling lifetime-warranty claims"),
            "contract",
            "retention",
            ("contact", "identity", "transaction"),
        ),
        Purpose(
            "marketing-email",
            _("Newsletters and special offers by e-mail"),
            "consent",
            "marketing",
            ("contact", "marketing"),
            ("email",),
            asks_consent=True,
            notice=_(
                "Competitions, discounts, exclusive offers and price updates by e-mail. "
                "Every message has an unsubscribe link."
            ),
        ),
        Purpose(
            "marketing-sms",
            _("Special offers by text message"),
            "consent",
            "marketing",
            ("contact", "marketing"),
            ("email",),
            asks_consent=True,
            notice=_(
                "Occasional offers by text message to your mobile number. Reply STOP or "
                "change your choice in your account at any time."
            ),
        ),
        Purpose(
            "review-invitations",
            _("Invitations to review your purchase"),
            "consent",
            "reviews",
            ("contact", "identity", "transaction", "marketing"),
            ("reviews",),
            asks_consent=True,
            notice=_(
                "After delivery, our review service may e-mail you once per order; it "
                "receives your name, e-mail address and order number."
            ),
        ),
        Purpose(
            "analytics-cookies",
            _("Measuring how the site is used (analytics cookies)"),
            "consent",
            "cookies",
            ("technical",),
            ("analytics",),
            asks_consent=True,
        ),
        Purpose(
            "advertising-cookies",
            _("Advertising and social media (marketing cookies)"),
            "consent",
            "cookies",
            ("technical", "marketing"),
            ("analytics", "social-media"),
            asks_consent=True,
        ),
    )
}

# The consent purposes offered at sign-up and on the preferences page, in that order.
MARKETING_PURPOSES = ("marketing-email", "marketing-sms", "review-invitations")
COOKIE_PURPOSES = {"analytics": "analytics-cookies", "marketing": "advertising-cookies"}


def consent_purposes():
    return [purpose for purpose in PURPOSES.values() if purpose.asks_consent]


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


# Retention schedule ----------------------------------------------------------------


class Action:
    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"


ACTION_LABELS = {
    Action.DELETE: _("deleted"),
    Action.ANONYMISE: _("anonymised"),
    Action.KEEP: _("kept"),
}


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
    until: object = ""
    categories: tuple = field(default=())

    @property
    def period_months(self):
        if self.months_setting:
            return getattr(settings, self.months_setting, self.months)
        return self.months

    @property
    def period(self) -> datetime.timedelta | None:
        """The period as a duration (months count as 30 days, years as 365)."""
        months = self.period_months
        if months is not None:
            return datetime.timedelta(days=365 * (months // 12) + 30 * (months % 12))
        if self.days is not None:
            return datetime.timedelta(days=self.days)
        return None

    @property
    def period_label(self) -> str:
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
        return ACTION_LABELS[self.action]


INACTIVE_CUSTOMER_MONTHS = 36

RETENTION = {
    rule.key: rule
    for rule in (
        RetentionRule(
            "account",
            _("Your account, profile and preferences"),
            _("closure of the account"),
            Action.DELETE,
            "account",
            days=0,
            categories=("contact", "identity", "marketing"),
        ),
        RetentionRule(
            "tax-records",
            _("Orders, invoices and payments (tax records)"),
            _("closure of the account"),
            Action.ANONYMISE,
            "tax-records",
            months=84,
            categories=("contact", "identity", "financial", "transaction"),
        ),
        RetentionRule(
            "lifetime-warranty",
            _("Purchases with a lifetime warranty"),
            _("purchase"),
            Action.KEEP,
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
            Action.DELETE,
            "account",
            months=INACTIVE_CUSTOMER_MONTHS,
            months_setting="PRIVACY_INACTIVE_CUSTOMER_MONTHS",
            categories=("contact", "identity", "marketing"),
        ),
        RetentionRule(
            "consent-ledger",
            _("The history of your consent choices"),
            _("closure of the account"),
            Action.DELETE,
            "account",
            days=0,
            categories=("marketing",),
        ),
        RetentionRule(
            "security-log",
            _("Security log (sign-ins and account changes)"),
            _("the event"),
            Action.DELETE,
            "security-audit",
            months=12,
            categories=("technical",),
        ),
        RetentionRule(
            "security-log-ip",
            _("IP addresses in the security log, shortened to their network part"),
            _("the event"),
            Action.ANONYMISE,
            "security-audit",
            days=30,
            categories=("technical",),
        ),
        RetentionRule(
            "abandoned-basket",
            _("Baskets that were never ordered"),
            _("last change to the basket"),
            Action.DELETE,
            "orders",
            days=30,
            categories=("transaction",),
        ),
        RetentionRule(
            "unverified-signup",
            _("Accounts whose e-mail address was never confirmed"),
            _("sign-up"),
            Action.DELETE,
            "account",
            days=30,
            categories=("contact", "identity"),
        ),
        RetentionRule(
            "privacy-request",
            _("Privacy requests and our replies"),
            _("closure of the request"),
            Action.DELETE,
            "customer-care",
            months=36,
            categories=("contact", "identity", "correspondence"),
        ),
        RetentionRule(
            "statistics",
            _("Anonymised statistics"),
            _("anonymisation"),
            Action.KEEP,
            "statistics",
            until=_("indefinitely: they can no longer be linked to you"),
            categories=("transaction",),
        ),
    )
}


# Cookies ---------------------------------------------------------------------------

COOKIE_CATEGORIES = {
    "necessary": {
        "label": _("Strictly necessary"),
        "description": _(
            "Sign-in, basket, security, language and your cookie choice. The site cannot "
            "work without them, so they need no consent."
        ),
        "purpose": None,
    },
    "analytics": {
        "label": _("Analytics"),
        "description": _("Measure how the site is used so we can improve it."),
        "purpose": "analytics-cookies",
    },
    "marketing": {
        "label": _("Marketing"),
        "description": _("Measure our adverts and let social media show them to you."),
        "purpose": "advertising-cookies",
    },
}

CONSENT_COOKIE_NAME = "cookie_consent"
CONSENT_COOKIE_DAYS = 180  # the choice is asked again after six months


@dataclass(frozen=True)
class Cookie:
    name: str
    category: str
    purpose: object
    duration: object


def cookies():
    """Every cookie the site sets, with the names read from the settings in force."""
    return [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            "necessary",
            _("keeps you signed in and remembers your basket"),
            _("two weeks, or until you sign out"),
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            "necessary",
            _("protects forms against cross-site request forgery"),
            _("one year"),
        ),
        Cookie(
            settings.LANGUAGE_COOKIE_NAME,
            "necessary",
            _("remembers the language you chose"),
            _("until you close your browser"),
        ),
        Cookie(
            CONSENT_COOKIE_NAME,
            "necessary",
            _("remembers your cookie choices"),
            _("six months"),
        ),
        Cookie(
            "messages",
            "necessary",
            _("shows a confirmation message on the next page"),
            _("until the message is shown"),
        ),
    ]
