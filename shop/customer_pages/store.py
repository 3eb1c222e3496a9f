"""Kept pages of one customer's own: what a signed-in customer sees of their basket,
checkout and orders, rendered once and served again until anything on it changes.

A page is rendered with holes for the per-request parts, as catalog pages are
(shop/catalog/page_cache.py: the header, flash messages, CSRF token, CSP nonce), and
kept in the shared cache under the customer, the page's address, language, market and
payment gateway, and the session's proof of sign-in (Django's session auth hash).

The key also holds a fingerprint of what rendered it (the environment's settings, the
project's source, templates, translations and static files, the installed libraries'
versions): a deploy or restart that changes any of them renders every page afresh,
and app servers of one release and configuration share their pages.

It is served again only while all of these hold, each read in the same single cache
read as the page:

- the customer's *page token* is the one it was rendered under. Any change to a row
  the customer's pages show (their orders and everything hanging from them, basket,
  addresses, account, e-mail addresses) deletes the token once the change commits
  (shop.customer_pages.changes): the next page is rendered afresh under a new one;
- the catalog version is the one it was rendered under (prices, names, stock);
- no moment it said it changes at has come (shop.customer_pages.moments), and it is
  younger than ``PAGE_TTL_SECONDS``.

A page is sealed with a key derived from the field-encryption key, the token and the
session auth hash: the cache (the database's cache table or Redis) holds ciphertext,
a page opens only for a session of its customer signed in with the password it was
rendered for, and once its token is deleted (a change, the account's erasure) nothing
can open it again, whoever reads the cache.

Served from the cache, a page costs the session and that one cache read: the customer
is not loaded from the database. That is as safe as loading them: the session must
name the same customer, sign-in backend and auth hash as when the page was rendered
(when the user was loaded and checked), and any change to the customer's row since
(password, deactivation, deletion) has deleted the token.
"""

import base64
import functools
import hashlib
import importlib.metadata
import json
import os
import secrets
import time

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.auth import SESSION_KEY as USER_SESSION_KEY
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from shop.catalog.cache import CATALOG_VERSION_KEY, catalog_version
from shop.catalog.page_cache import page_rebuild, page_render_with_holes
from shop.customer_pages.moments import Collecting
from shop.markets.selectors import market_for_request

PAGE_TTL_SECONDS = 600
# A token outlives the pages kept under it; one gone (expired, culled) takes them along.
TOKEN_TTL_SECONDS = 24 * 3600


def token_key(user_pk) -> str:
    return f"customer-pages:{user_pk}"


def _signed_in(request):
    """(user pk, session auth hash) that the session names, or None."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    user = getattr(request, "_cached_user", None)
    if user is not None and not user.is_authenticated:
        return None
    try:
        pk, backend, auth_hash = (
            session[USER_SESSION_KEY],
            session[BACKEND_SESSION_KEY],
            session[HASH_SESSION_KEY],
        )
    except KeyError:
        return None
    if backend not in settings.AUTHENTICATION_BACKENDS or not auth_hash:
        return None
    return str(pk), auth_hash


# What a page's HTML comes from: code, templates, translations, and the static files
# whose hashed names it links to.
RENDERING_FILES = (".py", ".html", ".txt", ".mo", ".css", ".js")


@functools.cache
def code_fingerprint() -> str:
    """A digest of what renders the pages: the configuration in the environment, the
    project's code, templates, translations and static files, and the installed
    libraries' versions (once per process)."""
    digest = hashlib.sha256()
    # The configuration too (delivery prices, the seller's details...), as the
    # environment gives it: a restart with another setting renders pages afresh.
    digest.update(repr(sorted(os.environ.items())).encode())
    for dist in sorted(f"{d.name}=={d.version}" for d in importlib.metadata.distributions()):
        digest.update(dist.encode())
    for top in ("offtek", "shop", "privacy", "templates", "static"):
        for path in sorted((settings.BASE_DIR / top).rglob("*")):
            if path.suffix in RENDERING_FILES and "tests" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _page_key(request, user_pk, auth_hash) -> str:
    page = (
        code_fingerprint(),
        auth_hash,
        request.get_host(),
        request.get_full_path(),
        get_language(),
        market_for_request(request).code,
        settings.PAYMENT_GATEWAY,
    )
    return f"customer-page:{user_pk}:{hashlib.sha256(repr(page).encode()).hexdigest()}"


def _fernet(token: str, auth_hash: str) -> Fernet:
    secret = settings.CRYPTOGRAPHY_KEY or settings.SECRET_KEY
    digest = salted_hmac(
        "offtek.customer-pages", f"{token}:{auth_hash}", secret=secret, algorithm="sha256"
    ).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _open(sealed, token, auth_hash):
    if not isinstance(sealed, bytes) or not token:
        return None
    try:
        return json.loads(_fernet(token, auth_hash).decrypt(sealed))
    except InvalidToken:
        return None  # sealed under other keys (rotated): rendered again


def _token_for(found: dict, user_pk) -> str | None:
    """The customer's page token, a new one if they have none; None if another request
    made one at the same moment (this page is then rendered without being kept)."""
    token = found.get(token_key(user_pk))
    if token is None:
        token = secrets.token_hex(16)
        if not cache.add(token_key(user_pk), token, TOKEN_TTL_SECONDS):
            return None
    return token


def customer_page(view):
    """Serve `view`'s GET page to a signed-in customer from their kept pages (the
    decorator goes above the view's sign-in checks, which ran when it was kept)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        signed_in = _signed_in(request) if request.method == "GET" else None
        if signed_in is None:
            return view(request, *args, **kwargs)
        user_pk, auth_hash = signed_in
        page_key = _page_key(request, user_pk, auth_hash)
        found = cache.get_many([token_key(user_pk), page_key, CATALOG_VERSION_KEY])
        token = found.get(token_key(user_pk))
        kept = _open(found.get(page_key), token, auth_hash)
        if (
            kept is not None
            and kept["catalog"] == found.get(CATALOG_VERSION_KEY)
            and time.time() < kept["until"]
        ):
            return page_rebuild(request, kept["page"])

        token = _token_for(found, user_pk)
        catalog = found.get(CATALOG_VERSION_KEY) or catalog_version()
        started = time.time()
        with Collecting() as moments:
            response, page = page_render_with_holes(request, view, *args, **kwargs)
        if page is None:
            return response  # not a page to keep: the view's own answer
        user = request.user  # loaded by the view's own checks
        if token is None or not user.is_authenticated or str(user.pk) != user_pk:
            return page_rebuild(request, page)  # shown to this visitor, not kept
        until = started + PAGE_TTL_SECONDS
        if moments.earliest() is not None:
            until = min(until, moments.earliest().timestamp())
        sealed = _fernet(token, auth_hash).encrypt(
            json.dumps({"page": page, "catalog": catalog, "until": until}).encode()
        )
        cache.set(page_key, sealed, max(1, int(until - started)))
        return page_rebuild(request, page)

    return wrapper
