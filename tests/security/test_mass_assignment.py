"""Extra fields posted to the shop's forms change nothing beyond the form's own fields."""

import pytest
from django.urls import reverse

from privacy.models import PrivacyRequest, User
from privacy.tests.factories import UserFactory
from shop.fulfilment.dispatch import order_dispatch
from shop.models import Address, BasketLine, Module, Order, OrderStatus, WarrantyClaim
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import AddressFactory, paid_order
from shop.tests.helpers import ADDRESS, basket_add, shown_prices

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(client):
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    client.force_login(user)
    return user


@pytest.fixture
def other():
    return UserFactory()


@pytest.fixture
def extras(other):
    """What an attacker adds to any form."""
    return {
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "on",
        "email": other.email,
        "user": other.pk,
        "user_id": other.pk,
        "price": "1",
        "price_pence": "1",
        "unit_price_pence": "1",
        "status": "closed",
        "total": "1",
        "total_pence": "1",
        "subtotal_pence": "1",
        "stock": "99999",
    }


def test_profile_edit_changes_only_name_and_phone(client, customer, extras):
    before = User.objects.values().get(pk=customer.pk)
    posted = {"first_name": "Augusta", "last_name": "King", "phone": "", **extras}
    assert client.post(reverse("privacy:profile"), posted).status_code == 302
    after = User.objects.values().get(pk=customer.pk)
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"first_name", "last_name"}
    assert not after["is_staff"] and not after["is_superuser"]


def test_sign_up_cannot_create_staff(client, extras):
    extras.pop("email")
    posted = {
        "email": "new.customer@example.com",
        "password1": "plum-orchard-sunrise-81",
        "password2": "plum-orchard-sunrise-81",
        **extras,
    }
    client.post(reverse("account_signup"), posted)
    user = User.objects.get(email="new.customer@example.com")  # the sign-up did go through
    assert not user.is_staff and not user.is_superuser


@pytest.mark.parametrize("editing", [False, True])
def test_address_belongs_to_the_poster(client, customer, other, extras, editing):
    address = AddressFactory(user=customer) if editing else None
    url = (
        reverse("shop:address-edit", args=[address.pk]) if editing else reverse("shop:address-add")
    )
    posted = {**ADDRESS, **extras, "name": "Ada Byron"}
    assert client.post(url, posted).status_code == 302
    saved = Address.objects.get()
    assert saved.name == "Ada Byron"
    assert saved.user_id == customer.pk
    assert not Address.objects.filter(user=other).exists()


def test_basket_takes_the_catalog_price_and_stock(client, customer, extras):
    module = ModuleFactory(price_pence=4599, stock=5)
    client.post(reverse("shop:basket-add"), {"module": module.pk, "quantity": 1, **extras})
    line = BasketLine.objects.get()
    assert line.basket.user_id == customer.pk
    module.refresh_from_db()
    assert (module.price_pence, module.stock) == (4599, 5)
    client.post(reverse("shop:basket-line-update", args=[line.pk]), {"quantity": 2, **extras})
    line.refresh_from_db()
    module.refresh_from_db()
    assert line.quantity == 2
    assert (module.price_pence, module.stock) == (4599, 5)


def test_checkout_prices_and_status_come_from_the_shop(client, customer, other, extras):
    module = ModuleFactory(price_pence=4599, stock=5)
    basket_add(client, module, quantity=2)
    response = client.post(reverse("shop:checkout"), {**ADDRESS, **extras, **shown_prices(client)})
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.user_id == customer.pk
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.subtotal_pence == 2 * 4599
    assert order.total_pence == order.subtotal_pence + order.delivery_pence
    assert order.lines.get().unit_price_pence == 4599
    assert Module.objects.get(pk=module.pk).price_pence == 4599


def test_warranty_claim_takes_only_reason_and_symptoms(client, customer, other, extras):
    order = paid_order(user=customer)
    order_dispatch(order=order, courier="dpd", tracking_number="T1")
    line = order.lines.get()
    posted = {"reason": "errors", "symptoms": "memtest86 shows errors", **extras}
    client.post(reverse("shop:warranty-claim-open", args=[order.number, line.pk]), posted)
    claim = WarrantyClaim.objects.get()
    assert claim.user_id == customer.pk
    assert claim.status == "open"
    assert claim.reason == "errors"


def test_privacy_request_is_the_posters_and_starts_open(client, customer, other, extras):
    posted = {"kind": "access", "name": "Ada", "message": "Please send my data.", **extras}
    assert client.post(reverse("privacy:contact"), posted).status_code == 200
    request = PrivacyRequest.objects.get()
    assert request.user_id == customer.pk
    assert request.email == customer.email
    assert request.status == "open"
