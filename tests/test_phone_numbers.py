"""Phone numbers: validated with phonenumbers (British by default, French accepted),
stored in E.164 and still encrypted, shown in national format, sent to in E.164."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from privacy import policy
from privacy.models import User
from privacy.phone_numbers import phone_display, phone_e164_or_none, phone_normalise
from privacy.purposes import purpose
from privacy.tests.factories import UserFactory
from shop.fulfilment.sms.services import sms_queue
from shop.models import Address, SmsMessage
from shop.tests.factories_orders import AddressFactory, OrderFactory

pytestmark = pytest.mark.django_db

REFUSED_EN = "This is not a phone number we can use."
REFUSED_FR = "Ce numéro de téléphone n’est pas utilisable."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07911 123456", "+447911123456"),
        ("+44 7911 123456", "+447911123456"),
        ("0121 234 5678", "+441212345678"),
        ("06 12 34 56 78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_numbers_are_stored_in_e164(typed, stored):
    assert phone_normalise(typed) == stored


@pytest.mark.parametrize(
    "typed", ["call me maybe", "12", "07911", "+1 555", "0" * 40, "+44 7911 12345678"]
)
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(ValidationError):
        phone_normalise(typed)


@pytest.mark.parametrize(
    ("stored", "language", "shown"),
    [
        ("+447911123456", "en", "07911 123456"),
        ("+33612345678", "fr", "06 12 34 56 78"),
        ("+33612345678", "en", "+33 6 12 34 56 78"),
        ("+447911123456", "fr", "+44 7911 123456"),
        ("not a number", "en", "not a number"),
    ],
)
def test_numbers_are_shown_in_the_readers_national_format(stored, language, shown):
    assert phone_display(stored, language=language) == shown


@pytest.fixture
def customer_client():
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    client = Client()
    client.force_login(user)
    return user, client


@pytest.mark.parametrize(("language", "message"), [("en", REFUSED_EN), ("fr", REFUSED_FR)])
def test_the_profile_refuses_text_with_a_translated_error(customer_client, language, message):
    user, client = customer_client
    response = client.post(
        f"/{language}/account/details/",
        {"first_name": "Ada", "last_name": "Lovelace", "phone": "call me maybe"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.phone == ""


def test_the_profile_stores_e164_encrypted_and_shows_it_nationally(customer_client):
    user, client = customer_client
    client.post(
        "/en/account/details/",
        {"first_name": "Ada", "last_name": "Lovelace", "phone": "07911 123456"},
    )
    user.refresh_from_db()
    assert user.phone == "+447911123456"
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(User._meta.db_table)
        cursor.execute(f"SELECT phone FROM {table} WHERE id = %s", [user.pk])  # noqa: S608
        (raw,) = cursor.fetchone()
    raw = bytes(raw) if isinstance(raw, memoryview) else raw
    assert b"7911" not in (raw if isinstance(raw, bytes) else raw.encode()), "still encrypted"
    assert "07911 123456" in client.get("/en/account/").text
    form_page = client.get("/en/account/details/").text
    assert 'value="07911 123456"' in form_page


@pytest.mark.parametrize(("language", "message"), [("en", REFUSED_EN), ("fr", REFUSED_FR)])
def test_the_address_book_refuses_text(customer_client, language, message):
    user, client = customer_client
    response = client.post(
        f"/{language}/account/addresses/add/",
        {
            "name": "Ada Lovelace",
            "line1": "1 High Street",
            "city": "London",
            "postcode": "SW1A 1AA",
            "country": "GB",
            "phone": "call me maybe",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Address.objects.filter(user=user).exists()


def test_the_address_book_stores_a_french_number_in_e164(customer_client):
    user, client = customer_client
    client.post(
        "/fr/account/addresses/add/",
        {
            "name": "Marie Curie",
            "line1": "1 rue de la Paix",
            "city": "Paris",
            "postcode": "75002",
            "country": "FR",
            "phone": "06 12 34 56 78",
        },
    )
    assert Address.objects.get(user=user).phone == "+33612345678"
    assert "06 12 34 56 78" in client.get("/fr/account/addresses/").text


def test_the_model_clean_normalises_and_refuses(customer_client):
    user, _client = customer_client
    user.phone = "07911 123456"
    with purpose(policy.OWN_DATA, subject=user):  # as the profile form validates
        user.full_clean()
    assert user.phone == "+447911123456"
    user.phone = "call me maybe"
    with pytest.raises(ValidationError) as error, purpose(policy.OWN_DATA, subject=user):
        user.full_clean()
    assert "phone" in error.value.message_dict


def test_text_messages_go_to_e164(settings):
    settings.SMS_BACKEND = "memory"
    order = OrderFactory(delivery_phone="07911 123456")  # stored before validation existed
    message = sms_queue(
        order=order,
        kind="test",
        template="shop/sms/order_dispatched.txt",
        context={"courier": "Royal Mail", "tracking_number": "X1"},
    )
    assert message.to_number == "+447911123456"
    unusable = OrderFactory(delivery_phone="call me maybe")
    assert (
        sms_queue(order=unusable, kind="test", template="shop/sms/order_dispatched.txt", context={})
        is None
    )
    assert SmsMessage.objects.count() == 1
    assert phone_e164_or_none("") is None


def _migration(app, name):
    return importlib.import_module(f"{app}.migrations.{name}")


def test_the_data_migrations_normalise_what_they_can_read():
    user = UserFactory(phone="07911 123456")
    odd = UserFactory(phone="call me maybe")
    address = AddressFactory(phone="06 12 34 56 78", country="FR")
    order = OrderFactory(delivery_phone="0121 234 5678", delivery_country="GB")
    # Run with the live models (a real migration gets unguarded historical ones).
    with purpose("account", "orders"):
        _migration("privacy", "0012_phone_numbers_e164").normalise(django_apps, None)
        _migration("shop", "0010_phone_numbers_e164").normalise(django_apps, None)
    for row in (user, odd, address, order):
        row.refresh_from_db()
    assert user.phone == "+447911123456"
    assert odd.phone == "call me maybe", "what cannot be read is left for a person to fix"
    assert address.phone == "+33612345678"
    assert order.delivery_phone == "+441212345678"


def test_checkout_refuses_a_phone_that_is_not_a_number(customer_client):
    from shop.checkout.forms import CheckoutForm

    user, _client = customer_client
    values = {
        "name": "Ada",
        "line1": "1 High Street",
        "city": "London",
        "postcode": "SW1A 1AA",
        "country": "GB",
        "delivery": "standard",
        "currency": "GBP",
        "shown_subtotal": "4599",
    }
    refused = CheckoutForm({**values, "phone": "call me maybe"}, user=user)
    assert not refused.is_valid() and "phone" in refused.errors
    accepted = CheckoutForm({**values, "phone": "07911 123456"}, user=user)
    assert accepted.is_valid(), accepted.errors
    assert accepted.delivery_address().phone == "+447911123456"
    assert reverse("shop:checkout")  # the form belongs to this page
