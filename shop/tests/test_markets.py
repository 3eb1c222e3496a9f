"""Markets: the UK in pounds and France in euros, each with its own price list; the
header's control, the default by the page's language, the basket re-priced, the
delivery country deciding the order's currency, and bad input refused."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from offtek.money import Money
from privacy.tests.factories import PASSWORD, UserFactory
from shop.catalog.page_cache import _key as page_key
from shop.markets.rules import MARKETS, UnknownMarket, market_for_country, market_get
from shop.models import Basket, Order
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import AddressFactory
from shop.tests.helpers import ADDRESS, basket_add, checkout_place, shown_prices

pytestmark = pytest.mark.django_db

FRANCE = {**ADDRESS, "name": "Marie Curie", "city": "Paris", "postcode": "75005", "country": "FR"}


def switch(client, code, next_url="/en/basket/"):
    return client.post(reverse("shop:market-switch"), {"market": code, "next": next_url})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def module():
    return ModuleFactory(price_pence=4599, price_eur_cents=5299, stock=10)


def test_the_markets_are_data_with_their_currency_and_price_list(module):
    assert [(m.code, m.currency) for m in MARKETS.values()] == [("GB", "GBP"), ("FR", "EUR")]
    assert market_get("fr").price_of(module) == Money(5299, "EUR")
    assert market_for_country("GB").price_of(module) == Money(4599, "GBP")
    with pytest.raises(UnknownMarket):
        market_get("DE")


def test_the_page_language_decides_the_market_until_the_shopper_chooses(client, module):
    english = client.get(module.get_absolute_url()).text
    french = client.get(module.get_absolute_url().replace("/en/", "/fr/")).text
    assert "£45.99" in english and "€" not in english.split("<main")[1]
    assert "52,99\u00a0€" in french and "£" not in french.split("<main")[1]
    assert 'data-testid="market-FR" aria-current="true"' in re.sub(r"\s+", " ", french)


def test_the_header_control_re_prices_the_basket_and_says_so(client, module):
    basket_add(client, module, 2)
    assert "£91.98" in client.get("/en/basket/").text

    response = switch(client, "FR")

    assert response.status_code == 302 and response["Location"] == "/en/basket/"
    assert messages_of(response) == ["Prices are now shown in euros for delivery to France."]
    page = client.get("/en/basket/").text
    assert "€105.98" in page and "£91.98" not in page
    # The market is a choice of its own: it stays when the language changes.
    assert "105,98\u00a0€" in client.get("/fr/basket/").text


def test_choosing_the_market_shown_already_says_nothing(client):
    response = switch(client, "GB")
    assert response.status_code == 302
    assert messages_of(response) == []


@pytest.mark.parametrize("code", ["DE", "", "GBP", "<script>", "F" * 500])
def test_an_unknown_market_is_refused_with_a_message_and_nothing_written(client, code):
    response = switch(client, code)
    assert response.status_code == 302
    assert messages_of(response) == [
        "We do not sell in that market: choose the United Kingdom or France."
    ]
    assert "market" not in client.session
    assert not Basket.objects.exists()


def test_an_unknown_market_is_refused_in_french_too(client):
    response = client.post("/fr/market/", {"market": "XX", "next": "/fr/"})
    assert messages_of(response) == [
        "Nous ne vendons pas sur ce marché : choisissez le Royaume-Uni ou la France."
    ]


def test_a_market_or_currency_in_a_url_changes_nothing(client):
    # The control is a form: a link that tries to set the market is not followed.
    assert client.get("/en/market/?market=ZZ").status_code == 405
    assert client.get("/en/market/?market=FR").status_code == 405
    assert "market" not in client.session
    # The catalog's URLs know no currency: one in the query is dropped, not obeyed.
    response = client.get("/en/memory/?currency=USD&market=XX")
    assert response.status_code == 302 and response["Location"] == "/en/memory/"


def test_the_market_control_never_redirects_to_another_site(client):
    response = switch(client, "FR", next_url="https://evil.example/")
    assert response["Location"] == "/en/"


def test_a_signed_in_customer_finds_their_market_again_at_the_next_sign_in(client, module):
    user = UserFactory()
    client.force_login(user)
    switch(client, "FR")
    assert Basket.objects.get(user=user).market == "FR"
    client.logout()

    assert "£45.99" in client.get(module.get_absolute_url()).text  # anonymous: by language
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "€52.99" in client.get(module.get_absolute_url()).text


def test_a_choice_made_before_signing_in_is_kept_on_the_account(client):
    user = UserFactory()
    switch(client, "FR")
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.session["market"] == "FR"
    assert Basket.objects.get(user=user).market == "FR"


def test_the_price_filter_reads_the_market_price_list(client):
    cheap_in_france = ModuleFactory(price_pence=6000, price_eur_cents=4000)
    ModuleFactory(price_pence=4000, price_eur_cents=7000)
    page = client.get("/fr/memory/?price_max=50").text
    assert cheap_in_france.part_number in page and page.count('class="module-row"') == 1
    assert "Prix jusqu’à (€)" in page or "(€)" in page


# Checkout: the delivery country decides the market.


@pytest.fixture
def customer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_a_french_address_on_pounds_prices_re_prices_in_euros_before_payment(
    client, customer, module
):
    basket_add(client, module, 1)
    shown = shown_prices(client)
    assert shown == {"currency": "GBP", "shown_subtotal": "4599"}

    response = client.post(reverse("shop:checkout"), {**FRANCE, **shown})

    assert response.status_code == 200  # the checkout page again, no order yet
    assert not Order.objects.exists()
    assert (
        "Prices are now shown in euros for delivery to France. Please check the new prices, "
        "then continue to payment." in messages_of(response)
    )
    assert "€52.99" in response.text and 'value="Paris"' in response.text
    assert client.session["market"] == "FR"

    order = checkout_place(client, **{k: v for k, v in FRANCE.items()})
    assert (order.currency, order.subtotal_pence, order.delivery_pence) == ("EUR", 5299, 0)
    assert order.lines.get().unit_price == Money(5299, "EUR")
    assert order.total == Money(5299, "EUR")


def test_delivery_is_priced_in_the_market_of_the_country(client, customer):
    cheap = ModuleFactory(price_pence=1000, price_eur_cents=1200, stock=3)
    switch(client, "FR")
    basket_add(client, cheap, 1)
    page = client.get(reverse("shop:checkout")).text
    assert "€9.99" in page and "£3.99" not in page  # standard delivery to France
    order = checkout_place(client, **FRANCE)
    assert (order.currency, order.delivery, order.total) == (
        "EUR",
        Money(999, "EUR"),
        Money(2199, "EUR"),
    )


@pytest.mark.parametrize(
    ("tampered", "message"),
    [
        ({"currency": "USD"}, "Prices are in pounds or euros only: please check them again."),
        ({"currency": ""}, "We could not tell which prices you saw: please check them again."),
        ({"shown_subtotal": "1"}, "The prices in your basket have changed since you saw them"),
        ({"shown_subtotal": "-5"}, "We could not tell which prices you saw"),
        ({"shown_subtotal": "lots"}, "We could not tell which prices you saw"),
    ],
)
def test_a_tampered_price_or_currency_places_no_order(client, customer, module, tampered, message):
    basket_add(client, module, 1)
    stock = module.stock
    response = client.post(
        reverse("shop:checkout"), {**ADDRESS, **shown_prices(client), **tampered}
    )
    assert response.status_code == 200
    said = response.text + " ".join(messages_of(response))
    assert message.replace("’", "&#x27;") in said or message in said
    assert not Order.objects.exists()
    module.refresh_from_db()
    assert module.stock == stock


def test_a_tampered_currency_is_refused_in_french(client, customer, module):
    basket_add(client, module, 1)
    response = client.post("/fr/checkout/", {**ADDRESS, **shown_prices(client), "currency": "JPY"})
    assert "Les prix sont en livres ou en euros uniquement" in response.text
    assert not Order.objects.exists()


def test_a_saved_french_address_orders_in_euros(client, customer, module):
    address = AddressFactory(user=customer, country="FR", city="Lyon")
    switch(client, "FR")
    basket_add(client, module, 1)
    order = checkout_place(
        client, saved_address=address.pk, name="", line1="", city="", postcode=""
    )
    assert order.currency == "EUR" and order.total_pence == 5299


# The page cache keys on the market.


@pytest.mark.redis
def test_a_french_market_page_never_comes_from_the_cache_in_pounds(client, module):
    url = module.get_absolute_url()
    assert "£45.99" in Client().get(url).text  # cached for the UK market
    assert "£45.99" in Client().get(url).text  # and served from the cache

    switch(client, "FR", next_url=url)
    page = client.get(url).text
    assert "€52.99" in page and "£45.99" not in page

    french_visitor = Client()
    assert "52,99\u00a0€" in french_visitor.get(url.replace("/en/", "/fr/")).text
    assert "52,99\u00a0€" in french_visitor.get(url.replace("/en/", "/fr/")).text


def test_the_page_cache_key_has_the_market_in_it(rf):
    from django.contrib.sessions.backends.cache import SessionStore

    uk, france = rf.get("/en/memory/"), rf.get("/en/memory/")
    uk.session, france.session = SessionStore(), SessionStore()
    france.session["market"] = "FR"
    assert page_key(uk) != page_key(france)
    uk.session["market"] = "FR"
    assert page_key(uk) == page_key(france)  # the control: nothing else differs
