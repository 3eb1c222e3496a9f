"""Whole-page cache for catalog pages, for every visitor, signed in or not.

A catalog page is rendered once without anything personal in it and stored; every
visitor then gets that page with their own parts filled in. What is personal in a page
is exactly what the layout's personal parts (shop/layout.py) fill in per request, and
each has a hole in the stored page:

- the header's account part: the basket count, "My account"/"Sign out" or "Sign in",
  and the customer's display name, all read from the session (shop/basket/header.py,
  privacy/accounts/session_name.py), so a signed-in page costs no query beyond the session;
- flash messages ("... is in your basket"), read and used up as on any page;
- the CSRF token of its forms and the CSP nonce of its scripts.

While a page is rendered for the cache, the request says so (`rendering_for_cache`)
and the layout's `personal` context processor hands the templates the holes instead of
the values, so the stored page cannot hold one visitor's name, basket, messages, token
or nonce. A page that still changed the session, set a cookie or did not answer 200
is not stored (and is rendered again, normally, if it was a 200).

The page depends otherwise only on the URL, the language, the market (whose prices it
shows: a French page never comes back in pounds) and the payment gateway, which make
up its key, and on the catalog, whose *shared*
version (shop/catalog_cache.py, in the shared cache) is part of the key too. The pages
themselves are kept in each process's memory (the "layout" cache): a copy per worker
is safe because a change on any app server moves the shared version, which every
worker reads on every request, so no worker serves a page of an older catalog; and it
is cheap (no page travels over the network).
"""

import hashlib
import re
import secrets
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.csp import LazyNonce
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from shop.catalog.cache import RESULTS_TTL_SECONDS, catalog_version
from shop.markets.selectors import market_for_request

# Stand-ins for the per-request parts; random per process, so no page text can contain
# them by chance (the pages are kept per process too).
CSRF_HOLE = f"csrf-{secrets.token_hex(16)}"
NONCE_HOLE = f"nonce-{secrets.token_hex(16)}"
HEADER_HOLE = f"<!--header-{secrets.token_hex(16)}-->"
MESSAGES_HOLE = f"<!--messages-{secrets.token_hex(16)}-->"
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RENDERING_FOR_CACHE = "_page_cache_rendering"

HOLES = {"header": mark_safe(HEADER_HOLE), "messages": mark_safe(MESSAGES_HOLE)}  # noqa: S308

# What fills the holes: a callable(request) with .header, .messages and .csrf_token,
# provided by the layout (shop/layout.py) when the app is ready.
_personal_parts = None


def personal_parts_provide(factory) -> None:
    global _personal_parts
    _personal_parts = factory


def rendering_for_cache(request) -> bool:
    return getattr(request, RENDERING_FOR_CACHE, False)


def _key(request):
    page = (
        request.get_host(),
        request.get_full_path(),
        get_language(),
        market_for_request(request).code,  # its prices, and the header's market control
        settings.PAYMENT_GATEWAY,
    )
    return f"page:{catalog_version()}:{hashlib.sha256(repr(page).encode()).hexdigest()}"


def _nonce(request, *, create):
    """This response's CSP nonce; an unused one is only made when `create` is True."""
    nonce = getattr(request, "_csp_nonce", None)
    if not isinstance(nonce, LazyNonce) or not (nonce or create):
        return None
    return str(nonce)


def _store(request, response, session_was_modified):
    """The page with its token and nonce cut out, or None if it cannot be kept."""
    session = getattr(request, "session", None)
    if (
        response.status_code != 200
        or response.cookies
        or (session is not None and session.modified and not session_was_modified)
        or response.streaming
    ):
        return None
    html = response.content.decode(response.charset)
    if HEADER_HOLE not in html:
        return None  # a layout without the holes: nothing shows it is impersonal
    for token in set(CSRF_VALUE.findall(html)):
        html = html.replace(token, CSRF_HOLE)
    nonce = _nonce(request, create=False)
    if nonce and nonce in html:
        html = html.replace(nonce, NONCE_HOLE)
    # The holes go with the page: a page kept in the shared cache is rebuilt by other
    # processes, whose own holes are other random strings.
    holes = (HEADER_HOLE, MESSAGES_HOLE, CSRF_HOLE, NONCE_HOLE)
    return {"html": html, "content_type": response["Content-Type"], "holes": holes}


def page_rebuild(request, page):
    """The kept `page` with this request's own parts in its holes."""
    html = page["html"]
    header_hole, messages_hole, csrf_hole, nonce_hole = page["holes"]
    personal = _personal_parts(request)
    html = html.replace(header_hole, personal.header, 1)
    html = html.replace(messages_hole, personal.messages, 1)
    if csrf_hole in html:
        html = html.replace(csrf_hole, personal.csrf_token)
    if nonce_hole in html:
        html = html.replace(nonce_hole, _nonce(request, create=True))
    response = HttpResponse(html, content_type=page["content_type"])
    # The same Vary as a freshly rendered page: a shared HTTP cache must still tell one
    # visitor's page from another's.
    patch_vary_headers(response, ("Cookie",))
    return response


def page_render_with_holes(request, view, *args, **kwargs):
    """(response, page): `view`'s answer rendered with holes for the visitor's own
    parts, and the page to keep (None if it cannot be kept: then, if it was a 200, the
    response is `view`'s answer rendered again for this visitor alone)."""
    session = getattr(request, "session", None)
    session_was_modified = session is not None and session.modified
    setattr(request, RENDERING_FOR_CACHE, True)
    try:
        response = view(request, *args, **kwargs)
    finally:
        delattr(request, RENDERING_FOR_CACHE)
    page = _store(request, response, session_was_modified)
    if page is None and response.status_code == 200:
        response = view(request, *args, **kwargs)
    return response, page


def shared_page(view):
    """Serve `view`'s page from the cache, with the visitor's own parts filled in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        cache = caches["layout"]
        key = _key(request)
        page = cache.get(key)
        if page is None:
            response, page = page_render_with_holes(request, view, *args, **kwargs)
            if page is None:
                return response
            cache.set(key, page, RESULTS_TTL_SECONDS)
        return page_rebuild(request, page)

    return wrapper
