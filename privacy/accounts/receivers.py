"""The security log listens to Django's and allauth's account signals."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from privacy import policy
from privacy.accounts.services import security_event_record
from privacy.accounts.session_name import display_name_remember
from privacy.consent.purposes import uses_personal_data
from privacy.consent.selectors import consents_to_confirm
from privacy.middleware import RECONSENT_SESSION_KEY
from privacy.models import SecurityEventKind, User
from privacy.purposes import purpose


@receiver(auth_signals.user_logged_in, dispatch_uid="privacy-log-login")
def log_login(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEventKind.LOGIN, user=user, request=request)
    if request is not None and hasattr(request, "session") and consents_to_confirm(user=user):
        request.session[RECONSENT_SESSION_KEY] = True


@receiver(auth_signals.user_logged_in, dispatch_uid="privacy-display-name")
def remember_display_name(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The person signing in: their own name, for their own pages.
        with purpose(policy.OWN_DATA, subject=user):
            display_name_remember(session=request.session, user=user)


@receiver(auth_signals.user_logged_out, dispatch_uid="privacy-log-logout")
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        security_event_record(kind=SecurityEventKind.LOGOUT, user=user, request=request)


@receiver(auth_signals.user_login_failed, dispatch_uid="privacy-log-login-failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    typed = str(credentials.get("email") or credentials.get("username") or "")
    user = User.objects.filter(email__iexact=typed).first() if typed else None
    security_event_record(
        kind=SecurityEventKind.LOGIN_FAILED, user=user, request=request, attempted_email=typed
    )


@receiver(account_signals.password_changed, dispatch_uid="privacy-log-password-changed")
def log_password_changed(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEventKind.PASSWORD_CHANGED, user=user, request=request)


@receiver(account_signals.password_reset, dispatch_uid="privacy-log-password-reset")
def log_password_reset(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEventKind.PASSWORD_RESET, user=user, request=request)


@receiver(account_signals.email_changed, dispatch_uid="privacy-log-email-changed")
@uses_personal_data("account", categories=["contact"])
def log_email_changed(sender, request, user, from_email_address=None, to_email_address=None, **kw):
    """allauth also sends this when a new account's first address is confirmed (from
    nothing to it): nothing changed then, so nothing is written."""
    before = getattr(from_email_address, "email", "") or ""
    after = getattr(to_email_address, "email", "") or ""
    if not before or before.lower() == after.lower():
        return
    security_event_record(kind=SecurityEventKind.EMAIL_CHANGED, user=user, request=request)


@receiver(mfa_signals.authenticator_added, dispatch_uid="privacy-log-mfa-added")
def log_mfa_added(sender, request, user, authenticator, **kwargs):
    security_event_record(
        kind=SecurityEventKind.MFA_ADDED, user=user, request=request, detail=authenticator.type
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="privacy-log-mfa-removed")
def log_mfa_removed(sender, request, user, authenticator, **kwargs):
    security_event_record(
        kind=SecurityEventKind.MFA_REMOVED, user=user, request=request, detail=authenticator.type
    )


@receiver(mfa_signals.authenticator_reset, dispatch_uid="privacy-log-mfa-reset")
def log_mfa_reset(sender, request, user, authenticator, **kwargs):
    security_event_record(
        kind=SecurityEventKind.MFA_RESET, user=user, request=request, detail=authenticator.type
    )
