"""A wrong encryption key is an operator's problem: tell the operator, loudly, and
show the visitor a calm 503 page instead of a 500."""

import logging
import sys

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django_cryptography.utils.crypto import InvalidToken

from privacy import policy, purposes, role_matrix

logger = logging.getLogger("privacy.encryption")

KEY_ERROR_MESSAGE = (
    "Encrypted personal data could not be decrypted with the configured keys. "
    "CRYPTOGRAPHY_KEY, CRYPTOGRAPHY_SALT or SECRET_KEY differ from the ones the data was "
    "written with: restore the previous values, or run `manage.py rotate_keys` with the "
    "old ones (see `manage.py check --database default`)."
)


def is_key_error(exception) -> bool:
    """An InvalidToken, or any error raised while django_cryptography decrypts (a bad
    signature, or noise from a wrong AES key that fails to unpickle)."""
    from privacy.canary import KeyCanaryMismatch

    if isinstance(exception, InvalidToken | KeyCanaryMismatch):
        return True
    traceback = exception.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_globals.get("__name__", "").startswith("django_cryptography"):
            return True
        traceback = traceback.tb_next
    return False


def _key_error_response(request, exception):
    logger.critical(KEY_ERROR_MESSAGE, exc_info=exception)
    # A page that touches neither the user nor the database: both may be what fails.
    response = TemplateResponse(request, "privacy/service_unavailable.html", status=503)
    response["Retry-After"] = "600"
    return response.render()


def remember_key_error(sender, request=None, **kwargs):
    """got_request_exception receiver: errors raised in middleware (loading the
    signed-in user, say) never reach process_exception; note them on the request."""
    exception = sys.exc_info()[1]
    if request is not None and exception is not None and is_key_error(exception):
        request.privacy_key_error = exception


class EncryptionKeyErrorMiddleware:
    """Turns a failure to decrypt into a logged critical error and a 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exception = getattr(request, "privacy_key_error", None)
        if exception is not None and response.status_code == 500:
            return _key_error_response(request, exception)
        return response

    def process_exception(self, request, exception):
        if is_key_error(exception):
            return _key_error_response(request, exception)
        return None


RECONSENT_SESSION_KEY = "privacy_reconsent"


class ReconsentMiddleware:
    """After sign-in, a customer whose earlier consent a new policy version changed is
    sent to the page that asks again, before anything else (set by the login receiver).
    The policy pages, sign-out and the admin stay reachable meanwhile."""

    exempt_prefixes = ("/static/", "/i18n/")
    exempt_names = ("privacy:reconsent", "privacy:policy", "privacy:cookies", "account_logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and getattr(request, "session", None) is not None
            and request.session.get(RECONSENT_SESSION_KEY)
            and request.user.is_authenticated
            and not self._exempt(request.path)
        ):
            target = reverse("privacy:reconsent")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _exempt(self, path):
        if path.startswith(self.exempt_prefixes) or "/admin/" in path:
            return True
        return path in {reverse(name) for name in self.exempt_names}


class PurposeMiddleware:
    """Every request acts for the signed-in person's own data (privacy.purposes): their
    rows open, and nobody else's. The staff admin also acts for the purposes of the
    staff member's roles (privacy.role_matrix.ROLE_PURPOSES); templates render inside,
    under the same purposes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def signed_in_pk():
            user = getattr(request, "user", None)
            return user.pk if user is not None and user.is_authenticated else None

        own = purposes.Scope(policy.OWN_DATA, subject=signed_in_pk)
        with purposes.scopes_active([own]):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and "admin" in match.app_names and request.user.is_authenticated:
            staff = [purposes.Scope(key) for key in role_matrix.purposes_of(request.user)]
            # Left for the rest of the request; __call__ restores what was active before.
            purposes.scopes_extend(staff)
        return None
