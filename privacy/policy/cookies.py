"""Every cookie the site sets, and why. They are all strictly necessary: the site loads
no analytics or advertising code, so it asks for no cookie consent (see
docs/privacy.md, "Where the site differs from the policy text")."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from privacy.policy.parties import processors_in_use

COOKIE_CATEGORIES = {
    "necessary": {
        "label": _("Strictly necessary"),
        "description": _(
            "Sign-in, basket, security and language. The site cannot work without them, "
            "so they need no consent. We set no other kind of cookie."
        ),
    },
}


@dataclass(frozen=True)
class Cookie:
    name: str
    category: str
    purpose: object
    duration: object
    # The policy purpose it serves (a key of PURPOSES), and who sets it: "" for us, else
    # the key of the processor whose script sets it on our domain.
    purpose_key: str = ""
    set_by: str = ""


def cookies():
    """Every cookie the running site sets, with the names read from the settings in
    force; a processor's cookies only while it is configured."""
    listed = [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            "necessary",
            _("keeps you signed in and remembers your basket"),
            _("two weeks, or until you sign out"),
            purpose_key="account",
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            "necessary",
            _("protects forms against cross-site request forgery"),
            _("one year"),
            purpose_key="account",
        ),
        Cookie(
            settings.LANGUAGE_COOKIE_NAME,
            "necessary",
            _("remembers the language you chose"),
            _("until you close your browser"),
        ),
    ]
    if "payment" in processors_in_use():
        listed += [
            Cookie(
                "__stripe_mid",
                "necessary",
                _("set by Stripe's card form on the payment page, to detect card fraud"),
                _("one year"),
                purpose_key="fraud-prevention",
                set_by="payment",
            ),
            Cookie(
                "__stripe_sid",
                "necessary",
                _("set by Stripe's card form on the payment page, to detect card fraud"),
                _("30 minutes"),
                purpose_key="fraud-prevention",
                set_by="payment",
            ),
        ]
    return listed
