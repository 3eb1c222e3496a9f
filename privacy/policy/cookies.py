"""Cookie categories and every cookie the site sets."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

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
