"""The whole-page cache of catalog pages: one page for every visitor, signed in or not,
with each visitor's own parts (header, messages, CSRF token, CSP nonce) filled in per
request, so nothing personal is ever shared.

A page served from the cache renders no page template (only the small personal
parts), so `page_rendered()` tells a shared page from one rendered for this request."""

import pickle
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.layout import HEADER_TEMPLATE, MESSAGES_TEMPLATE
from shop.models import BasketLine
from shop.tests.factories import ModuleFactory, SystemFactory
from shop.tests.helpers import basket_add, checkout_place

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE_VALUE = re.compile(r'<script[^>]* nonce="([^"]+)"')


def page_rendered(response) -> bool:
    personal = {HEADER_TEMPLATE, MESSAGES_TEMPLATE}
    return any(template.name not in personal for template in response.templates)


def csrf_tokens(response):
    return set(CSRF_VALUE.findall(response.content.decode()))


def nonces(response):
    return set(NONCE_VALUE.findall(response.content.decode()))


@pytest.fixture
def module():
    return ModuleFactory(part_number="CT16G4SFRA32A", price_pence=4599, stock=5)


@pytest.mark.parametrize(
    "url",
    ["/en/", "/en/memory/", "/fr/memory/?generation=DDR4", "module", "system", "/en/finder/"],
)
def test_a_visitor_without_cookies_gets_a_shared_page(url, module):
    if url == "module":
        url = module.get_absolute_url()
    elif url == "system":
        url = SystemFactory().get_absolute_url()
    first = Client().get(url)
    second = Client().get(url)
    assert first.status_code == second.status_code == 200
    assert page_rendered(first), "the first visitor's page is rendered"
    assert not page_rendered(second), "the second visitor's page comes from the cache"
    assert second.content.decode().count("<main") == 1
    assert second["Content-Type"] == first["Content-Type"]


def test_each_shared_page_has_its_own_token_and_nonce(module):
    # The finder page: it loads a script, so it carries a nonce (the layout has none).
    responses = [Client().get("/en/finder/") for _ in range(3)]
    tokens = [csrf_tokens(response) for response in responses]
    page_nonces = [nonces(response) for response in responses]
    assert all(len(found) == 1 for found in tokens)
    assert len(set.union(*tokens)) == 3, "no two visitors share a CSRF token"
    assert all(len(found) == 1 for found in page_nonces)
    assert len(set.union(*page_nonces)) == 3, "no two visitors share a CSP nonce"
    for response, (nonce,) in zip(responses, page_nonces, strict=True):
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        assert "Cookie" in response["Vary"]


def test_the_token_on_a_shared_page_is_accepted(module):
    Client().get("/en/memory/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/en/memory/")
    assert not page_rendered(page)
    (token,) = csrf_tokens(page)
    answer = visitor.post(
        "/i18n/setlang/", {"language": "fr", "next": "/fr/memory/", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302
    forged = Client(enforce_csrf_checks=True).post(
        "/i18n/setlang/", {"language": "fr", "csrfmiddlewaretoken": token}
    )
    assert forged.status_code == 403, "the token is only good with its own cookie"


@pytest.mark.parametrize("shopper_first", [True, False])
def test_a_basket_is_never_shared(module, shopper_first):
    shopper = Client()
    basket_add(shopper, module, quantity=2)
    stranger = Client()
    order = [(shopper, "2"), (stranger, "0")]
    for client, count in order if shopper_first else reversed(order):
        page = client.get("/en/memory/").content.decode()
        assert f'class="basket-count" aria-label="{count} item' in page
    again = shopper.get("/en/memory/")
    assert not page_rendered(again), "the shared page, with the shopper's own count"
    assert 'class="basket-count" aria-label="2 items"' in again.text


@pytest.mark.parametrize("customer_first", [True, False])
def test_a_signed_in_page_is_never_shared(module, customer_first):
    customer = Client()
    customer.force_login(UserFactory(email="ada@example.com"))
    stranger = Client()
    order = [(customer, "Sign out"), (stranger, "Sign in")]
    for client, expected in order if customer_first else reversed(order):
        page = client.get(module.get_absolute_url()).content.decode()
        assert expected in page
    assert "Sign out" not in Client().get(module.get_absolute_url()).content.decode()


def test_a_flash_message_is_neither_shared_nor_lost(module):
    Client().get("/en/memory/")
    shopper = Client()
    basket_add(shopper, module)  # a message waits in the shopper's session
    # Messages are stored in the session (no message text in a cookie, issue 15): the
    # session cookie is what makes this page the shopper's own.
    assert "messages" not in shopper.cookies
    assert "sessionid" in shopper.cookies
    page = shopper.get("/en/memory/")
    assert not page_rendered(page), "the shared page, with the shopper's message in it"
    assert "is in your basket" in page.content.decode()
    assert "is in your basket" not in shopper.get("/en/memory/").text, "shown once"
    assert "is in your basket" not in Client().get("/en/memory/").content.decode()


def test_unknown_cookies_change_nothing_in_the_shared_page(module):
    plain = Client().get("/en/memory/")
    visitor = Client()
    visitor.cookies["something_new"] = "1"
    page = visitor.get("/en/memory/")
    assert not page_rendered(page)
    assert page.text.count("<main") == plain.text.count("<main") == 1


def test_each_language_is_shared_separately(module):
    Client().get("/en/memory/")
    french = Client().get("/fr/memory/")
    assert 'lang="fr"' in french.content.decode()
    assert 'lang="fr"' in Client().get("/fr/memory/").content.decode()
    assert 'lang="en"' in Client().get("/en/memory/").content.decode()


def test_a_catalog_change_retires_shared_pages(module, django_capture_on_commit_callbacks):
    assert "£45.99" in Client().get(module.get_absolute_url()).content.decode()
    assert "£45.99" in Client().get(module.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        module.price_pence = 3999
        module.save()
    page = Client().get(module.get_absolute_url())
    assert page_rendered(page)
    assert "£39.99" in page.content.decode()


def test_not_found_and_redirects_are_not_shared():
    assert Client().get("/en/memory/no-such-module/").status_code == 404
    assert page_rendered(Client().get("/en/memory/no-such-module/"))
    assert Client().get("/en/memory/?sort=nonsense").status_code == 302


def stored_pages() -> str:
    """The HTML of every page in this process's page cache."""
    values = [pickle.loads(value) for value in caches["layout"]._cache.values()]  # noqa: S301
    pages = [value["html"] for value in values if isinstance(value, dict) and "html" in value]
    assert pages, "pages were stored"
    return "".join(pages)


def customer_client(*, email, first_name, last_name, language, module, quantity):
    client = Client()
    client.force_login(
        UserFactory(email=email, first_name=first_name, last_name=last_name, language=language)
    )
    basket_add(client, module, quantity=quantity)  # leaves a message waiting
    return client


CATALOG_PAGES = ["/{lang}/", "/{lang}/memory/", "module", "system", "/{lang}/finder/", "search"]


@pytest.mark.parametrize("ada_first", [True, False])
def test_two_signed_in_customers_never_see_each_others_parts(module, ada_first):
    system = SystemFactory()
    ada = customer_client(
        email="ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        language="en",
        module=module,
        quantity=2,
    )
    brigitte = customer_client(
        email="brigitte@example.com",
        first_name="Brigitte",
        last_name="Bardot",
        language="fr",
        module=module,
        quantity=3,
    )
    people = [
        (ada, "en", "Ada Lovelace", "2 items", "Brigitte Bardot", "3 "),
        (brigitte, "fr", "Brigitte Bardot", "3 articles", "Ada Lovelace", "2 "),
    ]
    if not ada_first:
        people.reverse()
    for template in CATALOG_PAGES:
        for lang in ("en", "fr"):
            for client, _lang, name, items, other_name, other_count in people:
                if template == "module":
                    url = module.get_absolute_url().replace("/en/", f"/{lang}/")
                elif template == "system":
                    url = system.get_absolute_url().replace("/en/", f"/{lang}/")
                elif template == "search":
                    url = f"/{lang}/search/?q=DDR4"
                else:
                    url = template.format(lang=lang)
                page = client.get(url)
                assert page.status_code == 200, url
                text = page.text
                assert f'lang="{lang}"' in text
                assert name in text and other_name not in text, url
                count = re.search(r'class="basket-count" aria-label="([^"]+)">(\d+)<', text)
                assert count[2] == items.split()[0], (url, count[0])
                assert other_count.strip() != count[2]
    for name in ("Ada", "Lovelace", "Brigitte", "Bardot", "Sign out", "Se déconnecter"):
        assert name not in stored_pages(), f"{name!r} is in a stored page"
    assert 'aria-label="2 items"' not in stored_pages()


def test_each_customer_gets_their_own_message_on_a_shared_page(module):
    Client().get("/en/memory/")
    ada = customer_client(
        email="ada@example.com",
        first_name="Ada",
        last_name="L",
        language="en",
        module=module,
        quantity=1,
    )
    brigitte = Client()
    brigitte.force_login(UserFactory(first_name="Brigitte", language="fr"))
    brigitte.get("/fr/memory/")
    mine = ada.get("/en/memory/")
    assert not page_rendered(mine)
    assert "is in your basket" in mine.text
    theirs = brigitte.get("/en/memory/")
    assert "is in your basket" not in theirs.text and "Ada" not in theirs.text
    assert "is in your basket" not in stored_pages()


@pytest.mark.parametrize("which", ["list", "module", "system", "finder", "search", "home"])
def test_a_signed_in_catalog_page_costs_at_most_the_session(
    module, which, django_assert_max_num_queries
):
    system = SystemFactory()
    url = {
        "list": "/en/memory/?generation=DDR4",
        "module": module.get_absolute_url(),
        "system": system.get_absolute_url(),
        "finder": "/en/finder/",
        "search": "/en/search/?q=DDR4",
        "home": "/en/",
    }[which]
    customer = customer_client(
        email="ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        language="en",
        module=module,
        quantity=2,
    )
    customer.get(url)  # the message is shown and the page is stored
    # The session is read from the database too (as after a cache restart): 1 query.
    session_key = customer.cookies["sessionid"].value
    caches["default"].delete(f"django.contrib.sessions.cached_db{session_key}")
    with django_assert_max_num_queries(2):
        page = customer.get(url)
    assert "Ada Lovelace" in page.text and 'aria-label="2 items"' in page.text
    with django_assert_max_num_queries(0):
        assert customer.get(url).status_code == 200  # the session from the cache


def test_the_header_follows_basket_changes_checkout_and_profile(module):
    customer = customer_client(
        email="ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        language="en",
        module=module,
        quantity=2,
    )
    assert 'aria-label="2 items"' in customer.get("/en/memory/").text
    line = BasketLine.objects.get()
    customer.post(reverse("shop:basket-line-update", args=[line.pk]), {"quantity": 4})
    assert 'aria-label="4 items"' in customer.get("/en/memory/").text
    customer.post(reverse("shop:basket-line-remove", args=[line.pk]))
    assert 'aria-label="0 items"' in customer.get("/en/memory/").text
    basket_add(customer, module, quantity=1)
    assert 'aria-label="1 item"' in customer.get("/en/memory/").text
    assert checkout_place(customer) is not None
    assert 'aria-label="0 items"' in customer.get("/en/memory/").text, "the basket is the order"
    customer.post(
        reverse("privacy:profile"), {"first_name": "Augusta", "last_name": "King", "phone": ""}
    )
    page = customer.get("/en/memory/").text
    assert "Augusta King" in page and "Ada Lovelace" not in page
    customer.post(reverse("account_logout"))
    page = customer.get("/en/memory/").text
    assert "Augusta" not in page and "Sign in" in page and 'aria-label="0 items"' in page
