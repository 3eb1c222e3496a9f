"""Whose data we hold, and how we protect it: facts for the record of processing."""

from django.utils.translation import gettext_lazy as _

# Kinds of people whose data we process (data subjects).
SUBJECTS = {
    "customer": _("Customers (people with an account)"),
    "prospect": _("People who contact us or make a privacy request without an account"),
    "visitor": _("Visitors to the website"),
}

# Which kinds of people each purpose concerns; customers where not listed.
PURPOSE_SUBJECTS = {
    "customer-care": ("customer", "prospect"),
    "error-reports": ("visitor", "customer", "prospect"),
}


def purpose_subjects(purpose_key: str) -> tuple[str, ...]:
    return PURPOSE_SUBJECTS.get(purpose_key, ("customer",))


# Technical and organisational security measures (UK GDPR article 32), each one a
# thing the code does (see the promise table in docs/privacy.md for the test that proves it).
SECURITY_MEASURES = (
    _(
        "Personal fields are encrypted in the database, history copies included, with a "
        "key kept apart from the application's secret; the key can be rotated."
    ),
    _("Card numbers never reach our servers: the payment processor takes them."),
    _(
        "Staff reach the administration only with two-factor authentication, each role "
        "with only the permissions it needs."
    ),
    _("Sign-in attempts are rate-limited and an account locks after repeated failures."),
    _(
        "A security log records sign-ins, account changes, data exports and staff viewing "
        "a customer's record."
    ),
    _("Connections use HTTPS only, with HSTS, in production."),
    _(
        "Retention rules are applied by a command: data is deleted or anonymised when "
        "its period ends."
    ),
)
