"""Sessions seen from outside, with real clients: a new key at sign-in, a dead key after
sign-out, and every other session ended by a password change."""

import pytest
from django.test import Client
from django.urls import reverse

from privacy.tests.factories import PASSWORD, UserFactory
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import basket_add

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quince-lantern-harbour-57"


def sign_in(client, user, password=PASSWORD):
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client.cookies["sessionid"].value


def signed_in(client) -> bool:
    return client.get(reverse("privacy:account-detail")).status_code == 200


def client_with_session(key) -> Client:
    client = Client()
    client.cookies["sessionid"] = key
    return client


def test_sign_in_gives_a_new_session_key():
    user = UserFactory()
    client = Client()
    basket_add(client, ModuleFactory(stock=3))  # an anonymous session with a basket in it
    before = client.cookies["sessionid"].value
    after = sign_in(client, user)
    assert after != before
    assert signed_in(client)
    assert not signed_in(client_with_session(before))


def test_sign_out_kills_the_session_key():
    user = UserFactory()
    client = Client()
    key = sign_in(client, user)
    assert signed_in(client_with_session(key))  # the control: the key works until then
    client.post(reverse("account_logout"))
    assert not signed_in(client)
    assert not signed_in(client_with_session(key))


def test_password_change_ends_every_other_session():
    user = UserFactory()
    laptop, phone = Client(), Client()
    sign_in(laptop, user)
    phone_key = sign_in(phone, user)
    assert signed_in(laptop) and signed_in(phone)

    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert signed_in(laptop)  # the session that changed it stays
    assert not signed_in(phone)
    assert not signed_in(client_with_session(phone_key))
    sign_in(Client(), user, NEW_PASSWORD)
