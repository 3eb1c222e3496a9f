import datetime
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import models
from django.utils import translation

from privacy.email_messages import SITE_NAME
from privacy.emails import email_send
from privacy.purposes import purpose

# The allauth mail's context values an outbox row can keep; anything else (the
# request, a site object) is left out or kept as text.
KEPT_TYPES = (models.Model, datetime.date, str, int, float, bool, type(None), dict, list, tuple)


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

    name = SITE_NAME

    @property
    def domain(self):
        return urlsplit(settings.SITE_URL).netloc


class AccountAdapter(DefaultAccountAdapter):
    """Stores the language a customer signed up in, writes e-mails in theirs, and
    builds every link in them from SITE_URL only. Its e-mails (verification, password
    reset, notices) go through the outbox like every other: queued with the sign-up
    or the change, sent by the task queue once it commits, never inside the page."""

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
        context = {key: site_link(value) for key, value in context.items() if key != "request"}
        context["current_site"] = {"name": SiteUrl.name, "domain": SiteUrl().domain}
        context = {
            key: value if isinstance(value, KEPT_TYPES) else str(value)
            for key, value in context.items()
        }
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language() or "en"
        # Tied to the account (erased with it, its disclosure recorded once sent)
        # when it goes to the account's own address.
        own = getattr(user, "pk", None) and user.email == email
        email_send(
            to=email,
            template=template_prefix,
            context={**context, "email": email},
            language=language,
            user=user if own else None,
            purpose="account" if own else None,
            layout="allauth",
        )
