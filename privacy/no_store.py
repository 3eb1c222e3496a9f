"""Pages answered to a signed-in person are theirs alone: no shared cache (a proxy, a
CDN) may keep one, and no browser may keep one on disk, where the next person at a
shared computer would find the orders and addresses of whoever signed out before
(the Back button asks the shop again, which sends them to sign in).

Whether someone is signed in is read from the session, which every page that shows
personal data has loaded already: a page served again from the customer's kept
pages, without loading the user, still carries the header."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils.cache import patch_cache_control


class SignedInPagesNotStoredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _signed_in(request) -> bool:
        session = getattr(request, "session", None)
        if session is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False  # no session to read: nobody can be signed in
        # A sign-in during this request put the key in; a sign-out took it out (the
        # page that answers a sign-out shows nobody's data).
        return session.get(SESSION_KEY) is not None
