"""The personal parts of the page layout: the header's account part (basket count,
"My account" with the display name and "Sign out", or "Sign in") and the flash
messages. They are made per request from the session alone (shop/basket/header.py,
privacy/accounts/session_name.py), with no query, so a page served from the page cache
(shop/catalog/page_cache.py) costs nothing beyond the session; when a page is rendered
for that cache, the templates get the cache's holes instead.

`personal_parts` is the context processor behind `{{ personal.header }}` and
`{{ personal.messages }}` in base.html.
"""

import secrets
from functools import cached_property, lru_cache

from django.contrib.auth import SESSION_KEY as USER_SESSION_KEY
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from privacy.accounts.session_name import display_name_in
from shop.basket.header import basket_count_in
from shop.catalog.page_cache import HOLES, personal_parts_provide, rendering_for_cache

HEADER_TEMPLATE = "shop/includes/header_account.html"
MESSAGES_TEMPLATE = "includes/messages.html"

NAME_SLOT = f"name-{secrets.token_hex(16)}"
TOKEN_SLOT = f"token-{secrets.token_hex(16)}"


@lru_cache(maxsize=1024)
def _header_html(language, script_prefix, count, signed_in, named):
    """The header's account part for one language, count and state, rendered once per
    process; the display name and the CSRF token go into its slots per request."""
    context = {
        "count": count,
        "signed_in": signed_in,
        "display_name": NAME_SLOT if named else "",
        "csrf_token": TOKEN_SLOT if signed_in else "",
    }
    return get_template(HEADER_TEMPLATE).render(context)


class PersonalParts:
    """The parts of the layout that belong to one visitor, made on first use."""

    def __init__(self, request):
        self.request = request

    def signed_in(self) -> bool:
        request = self.request
        user = getattr(request, "_cached_user", None)  # already loaded by this request
        if user is not None:
            return user.is_authenticated
        session = getattr(request, "session", None)
        return session is not None and USER_SESSION_KEY in session

    @cached_property
    def csrf_token(self) -> str:
        return get_token(self.request)

    @cached_property
    def header(self):
        session = getattr(self.request, "session", None)
        signed_in = self.signed_in()
        count = basket_count_in(session) if session is not None else 0
        name = display_name_in(session) if signed_in else ""
        html = _header_html(get_language(), get_script_prefix(), count, signed_in, bool(name))
        if name:
            html = html.replace(NAME_SLOT, escape(name))
        if signed_in:
            html = html.replace(TOKEN_SLOT, self.csrf_token)
        return mark_safe(html)  # noqa: S308 - a template's output, the name escaped

    @cached_property
    def messages(self):
        waiting = list(get_messages(self.request))  # read and used up, as on any page
        if not waiting:
            return ""
        return mark_safe(get_template(MESSAGES_TEMPLATE).render({"messages": waiting}))  # noqa: S308


personal_parts_provide(PersonalParts)


def personal_parts(request):
    """Context processor: the visitor's own parts of the layout, or the holes where
    they go when the page is rendered for the cache. The page's forms get the same
    CSRF token as the header's (Django's own processor would mask the secret again)."""
    if rendering_for_cache(request):
        return {"personal": HOLES}
    parts = PersonalParts(request)
    return {"personal": parts, "csrf_token": SimpleLazyObject(lambda: parts.csrf_token)}
