from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from privacy.purposes import purpose
from privacy.tasks import email_disclosure_record


def site_link(value):
    """A link in an e-mail, on SITE_URL's scheme, host and port whatever the request's
    Host header said (allauth builds its links from the request)."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return value
    site = urlsplit(settings.SITE_URL)
    link = urlsplit(value)
    return urlunsplit((site.scheme, site.netloc, link.path, link.query, link.fragment))


class SiteUrl:
    """What e-mail templates read as `current_site`: SITE_URL's host, not the request's."""

    name = "Offtek"

    @property
    def domain(self):
        return urlsplit(settings.SITE_URL).netloc


class AccountAdapter(DefaultAccountAdapter):
    """Stores the language a customer signed up in, writes e-mails in theirs, and
    builds every link in them from SITE_URL only."""

    def clean_password(self, password, user=None):
        """The password must not look like the account's name: read for the account
        being signed up or reset, that account only."""
        if user is None or user.pk is None:
            return super().clean_password(password, user=user)
        with purpose("account", subject=user):
            return super().clean_password(password, user=user)

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or "en"
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        context = {key: site_link(value) for key, value in context.items()}
        context.setdefault("current_site", SiteUrl())  # not the request's Host
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
        if getattr(user, "pk", None) and user.email == email:
            # Sent (a failure raised above): the e-mail provider received the address.
            email_disclosure_record(user_id=user.pk, purpose="account")
