"""Whole-page cache for catalog pages seen by visitors who carry nothing personal.

A visitor without a session cookie has no account, no basket and no stored messages, so
the page they get depends only on the URL, the language, their cookie choice and the
catalog. Such pages are kept in each process's memory (the "layout" cache) under the
catalog version, and served again to the next such visitor.

Two values in a page belong to one response only: the CSRF token of its forms and the
CSP nonce of its scripts. They are cut out before the page is stored and a fresh one is
put in for every visitor, so no token or nonce is ever shared.

Whoever sends any cookie other than the CSRF, language and cookie-choice cookies (a
session, flash messages, anything new) gets a page rendered for them alone, and such a
page is never stored.
"""

import hashlib
import re
import secrets
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.csp import LazyNonce
from django.utils.translation import get_language

from privacy import policy
from privacy.consent.cookies import cookie_choice_for
from shop.catalog.cache import RESULTS_TTL_SECONDS, catalog_version

# Stand-ins for the per-response values; random per process, so no page text can
# contain them by chance (the cache is per process too).
CSRF_HOLE = f"csrf-{secrets.token_hex(16)}"
NONCE_HOLE = f"nonce-{secrets.token_hex(16)}"
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _cookies_allowed():
    return {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, policy.CONSENT_COOKIE_NAME}


def shareable(request):
    """True when nothing in the request can make the page personal."""
    return request.method == "GET" and set(request.COOKIES) <= _cookies_allowed()


def _key(request):
    choice = cookie_choice_for(request)
    page = (
        request.get_host(),
        request.get_full_path(),
        get_language(),
        settings.PAYMENT_GATEWAY,
        choice.cookie_value() if choice else None,
        choice.from_gpc if choice else None,
    )
    return f"page:{catalog_version()}:{hashlib.sha256(repr(page).encode()).hexdigest()}"


def _nonce(request, *, create):
    """This response's CSP nonce; an unused one is only made when `create` is True."""
    nonce = getattr(request, "_csp_nonce", None)
    if not isinstance(nonce, LazyNonce) or not (nonce or create):
        return None
    return str(nonce)


def _store(request, response):
    """The page with its token and nonce cut out, or None if it cannot be shared."""
    session = getattr(request, "session", None)
    if (
        response.status_code != 200
        or response.cookies
        or (session is not None and session.modified)
        or response.streaming
    ):
        return None
    html = response.content.decode(response.charset)
    tokens = set(CSRF_VALUE.findall(html))
    for token in tokens:
        html = html.replace(token, CSRF_HOLE)
    nonce = _nonce(request, create=False)
    if nonce and nonce in html:
        html = html.replace(nonce, NONCE_HOLE)
    return {"html": html, "content_type": response["Content-Type"]}


def _rebuild(request, page):
    html = page["html"]
    if CSRF_HOLE in html:
        html = html.replace(CSRF_HOLE, get_token(request))
    if NONCE_HOLE in html:
        html = html.replace(NONCE_HOLE, _nonce(request, create=True))
    response = HttpResponse(html, content_type=page["content_type"])
    # The same Vary as a freshly rendered page: a shared HTTP cache must still tell a
    # signed-in visitor's page from this one.
    patch_vary_headers(response, ("Cookie",))
    return response


def shared_page(view):
    """Serve `view`'s page from the cache to visitors who carry nothing personal."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not shareable(request):
            return view(request, *args, **kwargs)
        cache = caches["layout"]
        key = _key(request)
        page = cache.get(key)
        if page is not None:
            return _rebuild(request, page)
        response = view(request, *args, **kwargs)
        page = _store(request, response)
        if page is not None:
            cache.set(key, page, RESULTS_TTL_SECONDS)
        return response

    return wrapper
