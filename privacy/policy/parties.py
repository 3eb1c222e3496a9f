"""Who we are, the lawful bases, the kinds of data, how we collect it, who processes it."""

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Who we are ------------------------------------------------------------------------
# The controller's identity and address are the seller's (offtek/seller.py, from the
# OFFTEK_SELLER_* variables): read at run time, never written here.

CONTROLLER_ACTIVITY = _("a supplier of computer memory (RAM) upgrades")
CONTROLLER_LAWS = _(
    "the UK GDPR and the Data Protection Act 2018, as amended by the Data (Use and Access) "
    "Act 2025, and, for our customers in the European Union, the EU General Data "
    "Protection Regulation"
)

COUNTRY_NAMES = {"GB": _("United Kingdom"), "FR": _("France")}


def controller() -> dict:
    """Who decides how personal data is used: the configured seller."""
    seller = settings.SHOP_SELLER
    address = [*seller["address_lines"], f"{seller['postcode']} {seller['city']}".strip()]
    country = COUNTRY_NAMES.get(seller["country"], seller["country"])
    return {
        "name": seller["name"],
        "activity": CONTROLLER_ACTIVITY,
        "address": ", ".join(line for line in (*address, str(country)) if line),
        "company_number": seller["registration_number"],
        "privacy_email": seller.get("privacy_email") or seller["email"],
        "laws": CONTROLLER_LAWS,
    }


# Supervisory authorities a customer may complain to. The ICO is ours (we are based in
# the UK); a customer living in France may complain to the CNIL, France's authority.
COMPLAINTS = {
    "key": "ico",
    "authority": _("the Information Commissioner's Office (ICO)"),
    "where": _("Customers in the United Kingdom"),
    "address": "Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF, United Kingdom",
    "url": "https://ico.org.uk/concerns/",
    "phone": "0303 123 1113",
    "phone_abroad": "+44 303 123 1113",
    "language": "en",
}
COMPLAINTS_FRANCE = {
    "key": "cnil",
    "authority": _("the Commission nationale de l'informatique et des libertés (CNIL)"),
    "where": _("Customers in France"),
    "address": "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France",
    "url": "https://www.cnil.fr/fr/plaintes",
    "phone": "+33 1 53 73 22 22",
    "phone_abroad": "",
    "language": "fr",
}
COMPLAINT_AUTHORITIES = [COMPLAINTS, COMPLAINTS_FRANCE]


def complaint_authorities(language: str) -> list[dict]:
    """Every authority, the one of the reader's country (by language) first."""
    return sorted(COMPLAINT_AUTHORITIES, key=lambda authority: authority["language"] != language)


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
    _(
        "automatically when you use the site: IP address, device details and device events, "
        "approximate location and unique application identifiers"
    ),
)


# Processors ------------------------------------------------------------------------
# Only the services the shop really sends personal data to. Most exist only when the
# operator configures them (``setting`` names the setting; a value in ``local`` keeps the
# data on our own machine: a console, a test double, the payment simulator). Which are
# configured is decided in one place, ``processors_in_use()``, at run time.


@dataclass(frozen=True)
class Processor:
    key: str
    label: object
    role: object
    locations: object
    outside_eea: bool
    safeguard: object = ""
    # The only details the policy lets it receive, in the disclosure ledger's words
    # (privacy.disclosures.FIELD_LABELS); empty where the policy names no such limit.
    may_receive: tuple = ()
    # What it receives, in words (the record of processing and the privacy page say it).
    receives: object = ""
    # The setting that switches it on ("" for always), and its values that do not: a
    # console backend prints on this server (development), "off" sends nothing; the
    # tests' memory backends stand in for the provider and count as one.
    setting: str = ""
    local: tuple = ("",)
    # True: it receives data from the visitor's browsing itself (the cookie page names it).
    during_visit: bool = False


PROCESSORS = {
    processor.key: processor
    for processor in (
        Processor(
            "payment",
            _("Stripe (card payments)"),
            _("takes card payments and runs the 3-D Secure check with your card issuer"),
            _(
                "Ireland (Stripe Payments Europe), with processing in the United States "
                "(Stripe, Inc.)"
            ),
            outside_eea=True,
            safeguard=_(
                "the EU-US Data Privacy Framework and its UK Extension, which Stripe, Inc. "
                "is certified under, and standard contractual clauses in Stripe's data "
                "processing agreement"
            ),
            receives=_(
                "your card details (typed into Stripe's own form, never into ours), the "
                "order number and amount, and your browser's IP address and device details"
            ),
            setting="PAYMENT_GATEWAY",
            local=("simulator",),
            during_visit=True,
        ),
        Processor(
            "couriers",
            _("Delivery couriers"),
            _("deliver your parcels"),
            _("United Kingdom and European Economic Area"),
            outside_eea=False,
            receives=_("your name, delivery address and phone number"),
        ),
        Processor(
            "email",
            _("E-mail delivery service"),
            _("delivers our e-mails to you"),
            _("United Kingdom and European Economic Area"),
            outside_eea=False,
            receives=_("your e-mail address and the message"),
        ),
        Processor(
            "sms",
            _("Text message provider"),
            _("delivers our text messages to you"),
            _("United Kingdom and European Economic Area"),
            outside_eea=False,
            receives=_("your mobile number and the message"),
            setting="SMS_BACKEND",
            local=("console", "off"),
        ),
        Processor(
            "reviews",
            _("Review collection service"),
            _("sends review invitations and collects reviews"),
            _("European Economic Area"),
            outside_eea=False,
            may_receive=("name", "email", "order number"),
            receives=_("your name, e-mail address and order number"),
            setting="REVIEW_PROVIDER_BACKEND",
            local=("console", "off"),
        ),
        Processor(
            "error-tracker",
            _("Error tracker (Sentry)"),
            _("receives a report when a page fails, so that we can find the fault"),
            _("United States"),
            outside_eea=True,
            safeguard=_(
                "standard contractual clauses in Sentry's data processing addendum, with "
                "the UK International Data Transfer Addendum"
            ),
            receives=_(
                "the kind of error and where in our code it happened, the request's method "
                "and the site's address; never names, e-mail addresses, phone numbers, "
                "postal addresses, IP addresses, cookies, sessions or what was typed"
            ),
            setting="SENTRY_DSN",
            during_visit=True,
        ),
    )
}

# Where Sentry's hosted service keeps the reports, by the end of the DSN's host.
# A self-hosted tracker: the server the DSN names, which the operator runs.
ERROR_TRACKER_REGIONS = (
    (".de.sentry.io", _("Germany (Sentry's EU region), run by Sentry's US company")),
    (".sentry.io", _("United States")),
)
ERROR_TRACKER_SELF_HOSTED = _("our own error tracker, on the server %(host)s")


def _error_tracker(processor: Processor, dsn: str) -> Processor:
    host = (urlsplit(dsn).hostname or "").lower()
    for suffix, region in ERROR_TRACKER_REGIONS:
        if host.endswith(suffix) or host == suffix[1:]:
            return replace(processor, locations=region)
    # Not Sentry's service: the operator's own server, no transfer to name.
    return replace(
        processor,
        label=_("Error tracker"),
        locations=ERROR_TRACKER_SELF_HOSTED % {"host": host},
        outside_eea=False,
        safeguard="",
    )


def processors_in_use() -> dict[str, Processor]:
    """The processors the running configuration sends personal data to, each with its
    real location. The privacy page, the record of processing and the data map list
    these, and only these."""
    in_use = {}
    for key, processor in PROCESSORS.items():
        value = getattr(settings, processor.setting, "") if processor.setting else "on"
        if value in processor.local:
            continue
        if key == "error-tracker":
            processor = _error_tracker(processor, value)
        in_use[key] = processor
    return in_use
