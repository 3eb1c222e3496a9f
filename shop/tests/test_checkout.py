import pytest
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.checkout import services as checkout_services
from shop.checkout.services import CheckoutError, DeliveryAddress, order_place
from shop.models import Address, Order, OrderStatus
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import AddressFactory, BasketFactory, BasketLineFactory
from shop.tests.helpers import ADDRESS, basket_add, checkout_place

pytestmark = pytest.mark.django_db

GB = DeliveryAddress(
    name="Ada Lovelace", line1="1 Road", line2="", city="London", postcode="N1 1AA", country="GB"
)


def test_order_place_reserves_stock_and_empties_basket():
    module = ModuleFactory(stock=5, price_pence=2500)
    basket = BasketFactory()
    BasketLineFactory(basket=basket, module=module, quantity=2)

    order = order_place(user=basket.user, basket=basket, address=GB, delivery_code="standard")

    module.refresh_from_db()
    assert module.stock == 3
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert (order.subtotal_pence, order.delivery_pence, order.total_pence) == (5000, 0, 5000)
    assert order.number.startswith("OT-") and len(order.number) == len("OT-2026-ABCDEF")
    assert order.lines.get().unit_price_pence == 2500
    assert not basket.lines.exists()
    assert order.stock_reserved


def test_delivery_price_comes_from_the_rules_by_country():
    module = ModuleFactory(stock=5, price_pence=1000, price_eur_cents=1200)
    basket = BasketFactory()
    BasketLineFactory(basket=basket, module=module, quantity=1)
    france = DeliveryAddress(**{**GB.__dict__, "country": "FR"})

    order = order_place(user=basket.user, basket=basket, address=france, delivery_code="express")

    # A French address: the France market, its price list and delivery price, in euros.
    assert (order.currency, order.delivery_pence, order.total_pence) == ("EUR", 1999, 3199)


def test_order_place_refuses_more_than_stock_and_changes_nothing():
    module = ModuleFactory(stock=1)
    basket = BasketFactory()
    BasketLineFactory(basket=basket, module=module, quantity=2)

    with pytest.raises(CheckoutError):
        order_place(user=basket.user, basket=basket, address=GB, delivery_code="standard")

    module.refresh_from_db()
    assert module.stock == 1
    assert basket.lines.count() == 1
    assert not Order.objects.exists()


def test_checkout_requires_a_verified_email(client):
    user = UserFactory(verified=False)
    client.force_login(user)
    response = client.get(reverse("shop:checkout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email")


def test_checkout_requires_sign_in(client):
    response = client.get(reverse("shop:checkout"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_checkout_page_explains_why_it_asks_for_the_address(client):
    user = UserFactory()
    client.force_login(user)
    basket_add(client, ModuleFactory())
    response = client.get(reverse("shop:checkout"))
    assert response.status_code == 200
    assert "to deliver your order and for our tax records" in response.text
    assert "/en/privacy/#orders" in response.text


def test_checkout_places_an_order_at_the_servers_price_ignoring_posted_prices(client):
    user = UserFactory()
    client.force_login(user)
    module = ModuleFactory(price_pence=4999, stock=3)
    basket_add(client, module)

    order = checkout_place(client, price_pence="1", total_pence="1", unit_price_pence="1")

    assert order is not None
    assert order.subtotal_pence == 4999
    assert order.total_pence == 4999 + 399
    assert order.user == user


def test_address_is_saved_only_with_consent(client):
    user = UserFactory()
    client.force_login(user)
    basket_add(client, ModuleFactory())
    checkout_place(client)
    assert not Address.objects.filter(user=user).exists()

    basket_add(client, ModuleFactory())
    order = checkout_place(client, save_address="on")
    saved = Address.objects.get(user=user)
    assert (saved.name, saved.postcode, saved.country) == ("Ada Lovelace", "SW1Y 4JH", "GB")
    assert order.delivery_name == "Ada Lovelace"


def test_checkout_with_a_saved_address(client):
    user = UserFactory()
    address = AddressFactory(user=user, name="Grace Hopper", country="FR", city="Paris")
    client.force_login(user)
    basket_add(client, ModuleFactory())

    fields = {"saved_address": address.pk, "name": "", "line1": "", "city": "", "postcode": ""}

    # The page showed pounds (/en/); a French address re-prices in euros first.
    assert checkout_place(client, **fields) is None
    order = checkout_place(client, **fields)

    assert (order.delivery_name, order.delivery_city, order.delivery_country) == (
        "Grace Hopper",
        "Paris",
        "FR",
    )
    assert order.currency == "EUR"


def test_another_customers_saved_address_is_refused(client):
    user = UserFactory()
    other = AddressFactory(name="Someone Else")
    client.force_login(user)
    basket_add(client, ModuleFactory())

    response = client.post(
        reverse("shop:checkout"), {**ADDRESS, "saved_address": other.pk, "name": ""}
    )

    assert response.status_code == 200
    assert "Choose one of your addresses." in response.text
    assert not Order.objects.exists()


def test_checkout_form_errors_are_translated(client):
    user = UserFactory(language="fr")
    client.force_login(user)
    basket_add(client, ModuleFactory())
    response = client.post("/fr/checkout/", {"delivery": "standard", "country": "DE"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.text
    assert "Nous livrons uniquement au Royaume-Uni et en France." in response.text


def test_address_and_order_address_are_encrypted_at_rest():
    from django.db import connection

    address = AddressFactory(name="Ada Lovelace", postcode="SW1Y 4JH")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, postcode FROM shop_address WHERE id = %s", [address.pk])
        row = cursor.fetchone()
    assert b"Ada" not in bytes(row[0]) and b"SW1Y" not in bytes(row[1])


def test_locking_switch_defaults_on():
    assert checkout_services.LOCK_STOCK is True


def test_order_list_queries_are_bounded(client, django_assert_max_num_queries):
    from shop.tests.factories_orders import OrderFactory

    user = UserFactory()
    OrderFactory.create_batch(15, user=user)
    client.force_login(user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("shop:order-list"))
    assert response.text.count("<tr>") == 1 + 15  # header + one row per order


def _place_from(client, forwarded_for: str) -> str:
    client.defaults["HTTP_X_FORWARDED_FOR"] = forwarded_for
    try:
        user = UserFactory()
        client.force_login(user)
        basket_add(client, ModuleFactory(stock=3))
        return checkout_place(client).client_ip_hash
    finally:
        del client.defaults["HTTP_X_FORWARDED_FOR"]


def test_behind_a_trusted_proxy_each_customer_has_their_own_network(client, settings):
    """Behind the TLS proxy every request comes from the proxy's address: the fraud
    rule counting failed payments per network must see the customer's address."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    first = _place_from(client, "203.0.113.7")
    second = _place_from(client, "203.0.113.8")

    assert first and second and first != second


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0

    first = _place_from(client, "203.0.113.7")
    second = _place_from(client, "203.0.113.8")

    assert first and first == second  # the connection's own address, not the header's
