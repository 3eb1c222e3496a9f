"""The address book on the account dashboard: a customer sees and changes only theirs."""

import pytest
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.models import Address
from shop.tests.factories_orders import AddressFactory

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Grace Hopper",
    "line1": "1 Rue de Rivoli",
    "line2": "",
    "city": "Paris",
    "postcode": "75001",
    "country": "FR",
    "phone": "",
}


def test_the_dashboard_links_to_orders_and_the_address_book(client):
    client.force_login(UserFactory())
    html = client.get(reverse("privacy:account-detail")).content.decode()
    assert reverse("shop:order-list") in html
    assert reverse("shop:address-list") in html


def test_add_edit_and_delete_an_address(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("shop:address-add"), NEW)
    address = Address.objects.get(user=user)
    assert address.city == "Paris"
    client.post(reverse("shop:address-edit", args=[address.pk]), {**NEW, "city": "Lyon"})
    address.refresh_from_db()
    assert address.city == "Lyon"
    assert "Lyon" in client.get(reverse("shop:address-list")).content.decode()
    client.post(reverse("shop:address-delete", args=[address.pk]))
    assert not Address.objects.filter(user=user).exists()


def test_another_customers_address_can_be_neither_seen_changed_nor_deleted(client):
    theirs = AddressFactory(city="Bath")
    client.force_login(UserFactory())
    assert client.get(reverse("shop:address-edit", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("shop:address-edit", args=[theirs.pk]), NEW)
    assert response.status_code == 404
    response = client.post(reverse("shop:address-delete", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.city == "Bath"
    assert "Bath" not in client.get(reverse("shop:address-list")).content.decode()


def test_address_form_in_french(client):
    client.force_login(UserFactory())
    html = client.get("/fr/account/addresses/add/").content.decode()
    assert "Ajouter une adresse" in html
