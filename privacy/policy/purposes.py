"""Why we use personal data: purposes, each with its lawful basis."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from privacy.policy.parties import BASES

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
    # A purpose that exists only while this processor is configured.
    only_with: str = ""

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
            ("payment", "couriers", "email", "sms"),
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
            ("sms",),
            asks_consent=True,
            notice=_(
                "Occasional offers by text message to your mobile number. You can change "
                "your choice in your account at any time."
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
                "After delivery, we may invite you once per order to review your purchase. "
                "A review service that sends the invitation receives only your name, e-mail "
                "address and order number."
            ),
        ),
        Purpose(
            "error-reports",
            _("Finding and fixing faults in the site (error reports)"),
            "legitimate-interests",
            "processors",
            ("technical",),
            ("error-tracker",),
            only_with="error-tracker",
        ),
    )
}

# The consent purposes offered at sign-up and on the preferences page, in that order.
MARKETING_PURPOSES = ("marketing-email", "marketing-sms", "review-invitations")
# What a browser's Global Privacy Control signal withdraws for a signed-in customer:
# every consent to marketing and to sharing with the review service.
GPC_WITHDRAWS = MARKETING_PURPOSES

# Consent purposes the site no longer offers. Ledger rows that name them stay readable
# (the consent history and the export show these labels); nothing can be granted anew.
RETIRED_PURPOSES = {
    "analytics-cookies": _("Analytics cookies (no longer used: the site sets none)"),
    "advertising-cookies": _("Marketing cookies (no longer used: the site sets none)"),
}


def consent_purposes():
    return [purpose for purpose in PURPOSES.values() if purpose.asks_consent]


def purpose_label(key: str):
    """A purpose's label for a stored row, retired purposes included."""
    if key in PURPOSES:
        return PURPOSES[key].label
    return RETIRED_PURPOSES.get(key, key)


def purposes_in_use(processors: dict) -> list[Purpose]:
    """The purposes of the running configuration (``processors``: processors_in_use())."""
    return [p for p in PURPOSES.values() if not p.only_with or p.only_with in processors]


# Operations ------------------------------------------------------------------------
# What the site does with personal data on the customer's behalf or to keep its own
# promises, rather than a purpose it collects data for: code acting for one of these
# names it like a purpose (privacy.purposes), and reads only what it may.


@dataclass(frozen=True)
class Operation:
    key: str
    label: object
    # True: may read every declared personal field (of the subject's own rows when a
    # subject is named). False: only the fields whose declaration lists it in reads=.
    reads_every_field: bool = False


OWN_DATA = "own-data"
OPERATIONS = {
    operation.key: operation
    for operation in (
        Operation(
            OWN_DATA,
            _("Showing you your own data (your account, your orders, your export)"),
            reads_every_field=True,
        ),
        Operation("erasure", _("Erasing data when you ask, or close your account"), True),
        Operation("retention", _("Deleting or anonymising data at the end of its period"), True),
        Operation("key-rotation", _("Re-encrypting stored data under new keys")),
        Operation("privacy-scan", _("Checking the database for data stored in clear")),
        Operation("email-delivery", _("Sending the e-mails queued for you")),
    )
}
