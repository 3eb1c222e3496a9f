"""The whole-page cache of catalog pages: shared between visitors who carry nothing
personal, never between anyone else, and never sharing a CSRF token or a CSP nonce.

A page served from the cache renders no template, so `response.templates` tells a
shared page (empty) from one rendered for this request."""

import re

import pytest
from django.test import Client

from privacy.tests.factories import UserFactory
from shop.tests.factories import ModuleFactory, SystemFactory
from shop.tests.helpers import basket_add

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE_VALUE = re.compile(r'<script[^>]* nonce="([^"]+)"')


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
    assert first.templates, "the first visitor's page is rendered"
    assert not second.templates, "the second visitor's page comes from the cache"
    assert second.content.decode().count("<main") == 1
    assert second["Content-Type"] == first["Content-Type"]


def test_each_shared_page_has_its_own_token_and_nonce(module):
    responses = [Client().get("/en/memory/") for _ in range(3)]
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
    assert not page.templates
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
    assert shopper.get("/en/memory/").templates, "a visitor with a session gets their own page"


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
    assert page.templates, "a visitor with a waiting message gets their own page"
    assert "is in your basket" in page.content.decode()
    assert "is in your basket" not in Client().get("/en/memory/").content.decode()


def test_unknown_cookies_opt_out_of_sharing(module):
    Client().get("/en/memory/")
    visitor = Client()
    visitor.cookies["something_new"] = "1"
    assert visitor.get("/en/memory/").templates


def test_the_cookie_choice_is_part_of_the_shared_page(module):
    undecided = Client().get("/en/memory/").content.decode()
    decided_client = Client()
    decided_client.cookies["cookie_consent"] = "analytics:1|marketing:0"
    decided = decided_client.get("/en/memory/").content.decode()
    assert re.search(r"data-cookie-banner\s*>", undecided), "the banner shows to the undecided"
    assert re.search(r"data-cookie-banner\s+hidden", decided), "and not to who has chosen"
    again = Client().get("/en/memory/").content.decode()
    assert re.search(r"data-cookie-banner\s*>", again)


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
    assert page.templates
    assert "£39.99" in page.content.decode()


def test_not_found_and_redirects_are_not_shared():
    assert Client().get("/en/memory/no-such-module/").status_code == 404
    assert Client().get("/en/memory/no-such-module/").templates
    assert Client().get("/en/memory/?sort=nonsense").status_code == 302
