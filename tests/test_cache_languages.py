"""Every cache that holds text keeps one copy per language.

The audit (grep for cache.get/set, cache_page, {% cache %}, {% frame %}, lru_cache,
functools.cache):

| cache | holds | key has the language |
|---|---|---|
| base.html `{% frame %}` (layout_frame.py) | layout: banner, switchers, footer | LANGUAGE_CODE |
| base.html header-search frame | search label, placeholder, button | LANGUAGE_CODE |
| footer_links.html frame | footer links (text and /en/ or /fr/ URLs) | LANGUAGE_CODE |
| order list, dashboard, checkout, card form frames | heads, links, empty fields | LANGUAGE_CODE |
| shop/catalog/page_cache.py whole pages | a visitor's whole page | get_language() |
| shop/catalog/cache.py catalog_fragment | the catalog part of a page | get_language() |
| catalog_cached("manufacturers") | Manufacturer rows (names not translated) | not needed |
| finder_suggestions (catalog_cached) | names and URLs | get_language() (catalog work) |
| shop/layout.py _header_html (lru_cache) | the header's account part | language argument |
| basket_detail.html frames | the table head, the add-by-part-number form | LANGUAGE_CODE |
| privacy/accounts/session_name.py _cipher (functools.cache) | a cipher | not needed: no text |
| catalog.views._canonical_module_query (lru_cache) | a query string | not needed: no text |
| privacy.registry.history_model (functools.cache) | a model class | not needed: no text |
| catalog version, privacy-request rate counter, allauth rate limits | numbers | not needed |

Each test fills the cache in one language, then asks in the other (both orders), and
checks each page is wholly in its own language. The whole-page and catalog fragment
caches are keyed by market too (their prices): shop/tests/test_markets.py.
"""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from privacy.tests.factories import UserFactory
from shop.catalog.views import _canonical_module_query
from shop.tests.factories import ModuleFactory

pytestmark = pytest.mark.django_db

ORDERS = [("en", "fr"), ("fr", "en")]


def words(msgid):
    """The text of ``msgid`` in each language (and it must really be translated)."""
    texts = {}
    for language in ("en", "fr"):
        with translation.override(language):
            texts[language] = gettext(msgid)
    assert texts["en"] != texts["fr"], f"{msgid!r} has no French translation"
    return texts


def page(language, path="", client=None):
    client = client or Client()
    return client.get(f"/{language}/{path}").content.decode()


def assert_each_in_its_language(msgid, pages, escape=True):
    from django.utils.html import escape as html_escape

    texts = words(msgid)
    for language, html in pages.items():
        other = "fr" if language == "en" else "en"
        mine = html_escape(texts[language]) if escape else texts[language]
        theirs = html_escape(texts[other]) if escape else texts[other]
        assert mine in html, f"{language} page lacks {texts[language]!r}"
        assert theirs not in html, f"{language} page shows {texts[other]!r}"


def pages_in_turn(order, path="", client_for=None):
    pages = {}
    for language in order:
        pages[language] = page(language, path, client_for() if client_for else None)
    return pages


@pytest.fixture
def signed_in():
    user = UserFactory()

    def make():
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.mark.parametrize("order", ORDERS)
def test_layout_top_fragment(settings, order):
    settings.PAYMENT_GATEWAY = "simulator"
    pages = pages_in_turn(order)
    assert_each_in_its_language("Skip to content", pages)
    assert_each_in_its_language(
        "Test shop: payments go through a simulator and no card is ever charged.", pages
    )


@pytest.mark.parametrize("order", ORDERS)
def test_header_guest_fragment(order):
    pages = pages_in_turn(order, "privacy/")
    assert_each_in_its_language("Create account", pages)


@pytest.mark.parametrize("order", ORDERS)
def test_language_buttons_fragment(order):
    pages = pages_in_turn(order, "privacy/")
    assert_each_in_its_language("Language", {k: v for k, v in pages.items()}, escape=True)
    for language, html in pages.items():
        label = words("Language")[language]
        assert f'id="language-label">{label}</span>' in html
        switch = html.split('class="language-switch"')[1]  # not the market control
        current = switch.split('aria-current="true"')[0].rsplit("<button", 1)[1]
        assert f'value="{language}"' in current, "the current language is marked"


@pytest.mark.parametrize("order", ORDERS)
def test_header_search_fragment(order):
    pages = pages_in_turn(order, "privacy/")
    assert_each_in_its_language("Part number, module or computer model", pages)
    for language, html in pages.items():
        assert f'action="/{language}/search/"' in html


@pytest.mark.parametrize("order", ORDERS)
def test_footer_links_fragment(order):
    pages = pages_in_turn(order, "privacy/contact/")
    assert_each_in_its_language("Privacy policy", pages)
    for language, html in pages.items():
        assert f'href="/{language}/privacy/"' in html
        assert f'href="/{language}/accounts/login/"' in html


@pytest.mark.parametrize("order", ORDERS)
def test_whole_page_cache(order):
    ModuleFactory()
    pages = pages_in_turn(order, "memory/")  # anonymous: served from the page cache
    assert_each_in_its_language("Memory modules", pages)
    again = pages_in_turn(order, "memory/")  # now both from the cache
    assert_each_in_its_language("Memory modules", again)
    for language, html in again.items():
        assert f'<html lang="{language}">' in html


@pytest.mark.parametrize("order", ORDERS)
def test_catalog_fragment_cache(order, signed_in):
    module = ModuleFactory()
    path = f"memory/{module.slug}/"
    pages = pages_in_turn(order, path, client_for=signed_in)  # signed in: no page cache
    again = pages_in_turn(order, path, client_for=signed_in)
    for found in (pages, again):
        for language, html in found.items():
            assert f'<html lang="{language}">' in html
        assert_each_in_its_language("Specifications", found)


@pytest.mark.parametrize("order", ORDERS)
def test_header_account_part_cache(order, signed_in):
    pages = pages_in_turn(order, "privacy/", client_for=signed_in)
    assert_each_in_its_language("My account", pages)
    assert_each_in_its_language("Sign out", pages)
    for language, html in pages.items():
        assert f'href="/{language}/account/"' in html


def test_the_remembered_query_holds_no_text():
    results = {}
    for language in ("en", "fr"):
        with translation.override(language):
            results[language] = _canonical_module_query("capacity=16&page=1")
    assert results["en"] == results["fr"]
