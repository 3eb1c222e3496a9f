"""Who we are, the lawful bases, the kinds of data, how we collect it, who processes it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

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
    # The only details the policy lets it receive, in the disclosure ledger's words
    # (privacy.disclosures.FIELD_LABELS); empty where the policy names no such limit.
    receives: tuple = ()


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
            receives=("name", "email", "order number"),
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
