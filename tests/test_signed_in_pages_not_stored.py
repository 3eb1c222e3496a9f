"""A signed-in customer's pages reach no shared cache and no browser's disk: each
answer says `Cache-Control: private, no-store`, rendered or served again from the
customer's kept pages; an anonymous visitor's pages are left alone; and once signed
out, the pages a Back button would ask for again answer nothing personal."""

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age

from privacy.tests.factories import UserFactory
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import CARD_SUCCESS, basket_add, checkout_place, simulator_pay

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    header = response.headers.get("Cache-Control", "")
    return {part.strip() for part in header.split(",") if part.strip()}


def test_every_page_a_signed_in_customer_sees_is_private_and_not_stored(client):
    customer = UserFactory(email="not.stored@example.com")
    client.force_login(customer)
    module = ModuleFactory(stock=5, price_pence=3_000)
    basket_add(client, module)
    order = checkout_place(client)
    simulator_pay(client, order, CARD_SUCCESS)
    paths = [
        reverse("shop:home"),
        reverse("shop:module-detail", args=[module.slug]),
        reverse("shop:basket-detail"),
        reverse("shop:order-list"),
        reverse("shop:order-detail", args=[order.number]),
        reverse("privacy:account-detail"),
    ]
    for path in paths:
        for attempt in ("rendered", "kept"):
            response = client.get(path)
            assert response.status_code == 200, (path, attempt)
            assert {"private", "no-store"} <= directives(response), (path, attempt)
            assert "public" not in directives(response)


def test_an_anonymous_visitor_pages_keep_no_such_header(client):
    module = ModuleFactory(stock=5, price_pence=3_000)
    for path in (reverse("shop:home"), reverse("shop:module-detail", args=[module.slug])):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" not in directives(response)
    basket_add(client, module)  # a session, and nobody signed in
    response = client.get(reverse("shop:basket-detail"))
    assert "no-store" not in directives(response)


def test_a_view_own_cache_rules_are_kept_and_made_private(client):
    """The health answer says never to cache it: signed in, it is still never cached,
    and private."""
    client.force_login(UserFactory())
    response = client.get("/healthz/")
    assert {"private", "no-store", "no-cache"} <= directives(response)
    assert get_max_age(response) == 0


def test_after_signing_out_the_pages_back_would_ask_for_show_nothing(client):
    customer = UserFactory(email="gone.home@example.com")
    client.force_login(customer)
    dashboard = reverse("privacy:account-detail")
    assert "gone.home@example.com" in client.get(dashboard).content.decode()
    client.post(reverse("account_logout"))
    again = client.get(dashboard)
    assert again.status_code == 302
    assert reverse("account_login") in again["Location"]
