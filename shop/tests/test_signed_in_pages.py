"""The pages a signed-in customer sees, as cheap as their contents allow: a pinned
number of queries each when rendered (a change that adds one shows here) and none
once kept (shop.customer_pages), pages that show no address or card read none, and
the layout kept per process (shop/templatetags/layout_frame.py) holds nothing of the
customers who made it."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.models import Payment
from shop.templatetags.layout_frame import FrameNode
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import CARD_SUCCESS, basket_add, checkout_place, simulator_pay

pytestmark = pytest.mark.django_db

# The session comes from the cache (in memory in tests: no query); the customer's row is
# one query on every page, the check of a verified e-mail address one on checkout's.
EXPECTED_QUERIES = {
    "basket": 3,  # the customer, the basket's lines with their modules, reservations ran out
    "checkout address form": 6,  # ... the basket, its lines, ran out, an address book?
    "card form": 5,  # ... verified, the order, its payment, its lines
    "confirmation (paid)": 5,  # ... verified, the order, its payment, its lines
    "order page (paid)": 8,  # the customer, the order, lines, claims, payments, parts' own
    "order page (awaiting payment)": 7,
    "order list": 2,  # the customer, the orders
    "account dashboard": 1,  # the customer
}


def customer_with_orders(client, *, first_name="Ada", last_name="Lovelace"):
    """A signed-in customer with a paid order, one awaiting payment (on its card form)
    and a module in the basket; the paths of their pages."""
    user = UserFactory(first_name=first_name, last_name=last_name)
    client.force_login(user)
    basket_add(client, ModuleFactory(stock=9))
    paid = checkout_place(client)
    simulator_pay(client, paid, CARD_SUCCESS)
    basket_add(client, ModuleFactory(stock=9))
    waiting = checkout_place(client)
    client.get(reverse("shop:checkout-pay", kwargs={"number": waiting.number}))
    payment = Payment.objects.filter(order=waiting).latest("pk")
    basket_add(client, ModuleFactory(stock=9), 2)
    paths = {
        "basket": reverse("shop:basket-detail"),
        "checkout address form": reverse("shop:checkout"),
        "card form": reverse("shop:simulator-card", args=[waiting.number, payment.pk]),
        "confirmation (paid)": reverse("shop:checkout-done", args=[paid.number]),
        "order page (paid)": reverse("shop:order-detail", args=[paid.number]),
        "order page (awaiting payment)": reverse("shop:order-detail", args=[waiting.number]),
        "order list": reverse("shop:order-list"),
        "account dashboard": reverse("privacy:account-detail"),
    }
    client.get(reverse("shop:home"))  # the flash messages are shown, then gone
    return user, paths


def queries_of(client, path, *, kept=False) -> list[str]:
    """The queries of one load of `path`: rendered (nothing kept, the session read
    from the database) or, with `kept`, served from the customer's kept pages."""
    if not kept:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [query["sql"] for query in queries]


def test_each_signed_in_page_costs_its_pinned_number_of_queries(client):
    _user, paths = customer_with_orders(client)
    counts = {}
    for name, path in paths.items():
        rendered = queries_of(client, path)
        assert "django_session" in rendered[0]  # the session, from the database
        counts[name] = len(rendered) - 1
    assert counts == EXPECTED_QUERIES


def test_a_kept_page_costs_no_query(client):
    """Served again, a page costs the session and one cache read, both in memory
    here; a page that is not kept (the profile form) still asks (control)."""
    _user, paths = customer_with_orders(client)
    for path in paths.values():
        client.get(path)
    kept = {name: queries_of(client, path, kept=True) for name, path in paths.items()}
    assert kept == dict.fromkeys(kept, [])
    client.get(reverse("privacy:profile"))
    assert queries_of(client, reverse("privacy:profile"), kept=True)


@pytest.mark.parametrize("page", ["card form", "confirmation (paid)"])
def test_a_page_that_shows_no_address_or_card_reads_none(client, page):
    _user, paths = customer_with_orders(client)
    read = " ".join(queries_of(client, paths[page]))
    assert '"shop_order"' in read  # the order is read...
    for column in ("delivery_line1", "delivery_postcode", "card_last4", "card_brand"):
        assert column not in read  # ...without the personal columns it does not show


def test_the_order_page_still_reads_the_address_and_card_it_shows(client):
    """Control: the page that shows them does read them."""
    _user, paths = customer_with_orders(client)
    read = " ".join(queries_of(client, paths["order page (paid)"]))
    assert "delivery_line1" in read and "card_last4" in read


def kept_frame_texts() -> str:
    """Every text the layout frames keep, in every template loaded so far."""
    texts = []
    for loader in engines["django"].engine.template_loaders:
        for template in getattr(loader, "get_template_cache", {}).values():
            if hasattr(template, "nodelist"):
                for node in template.nodelist.get_nodes_by_type(FrameNode):
                    for kept_texts, _holes in node.kept.values():
                        texts.extend(kept_texts)
    return "\n".join(texts)


def test_the_kept_layout_holds_nothing_of_the_customers_who_made_it(client, settings):
    first, first_paths = customer_with_orders(client, first_name="Zebulon", last_name="Quark")
    pages = {path: client.get(path).content.decode() for path in first_paths.values()}
    client.logout()
    second, _paths = customer_with_orders(client, first_name="Xanthippe", last_name="Vole")
    for path in first_paths.values():
        client.get(path)
    kept = kept_frame_texts()
    assert "site-search" in kept and "footer" in kept  # the frames are there
    tokens = {t for page in pages.values() for t in re.findall(r'value="([\w-]{40,})"', page)}
    numbers = set(re.findall(r"OT-[\w-]+", " ".join(pages.values())))
    personal = {"Zebulon", "Quark", "Xanthippe", "Vole", first.email, second.email}
    assert tokens and numbers  # control: the pages did show tokens and order numbers
    for value in personal | tokens | numbers:
        assert value not in kept
