"""British English and French formats on the account pages and in e-mails: dates
"1 December 2026" / "1 décembre 2026", 24-hour times, money "£39.99" / "39,99 £",
addresses laid out by country with the country's name."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from privacy.purposes import purpose
from privacy.tests.factories import ConsentRecordFactory, SecurityEventFactory, UserFactory
from shop.addresses.layout import address_lines
from shop.orders.emails import order_paid_email_send
from shop.tests.factories_orders import AddressFactory, OrderFactory, paid_order

pytestmark = pytest.mark.django_db

# 16:46 in London on 1 December (GMT, so the same as UTC)
MOMENT = datetime.datetime(2026, 12, 1, 16, 46, tzinfo=datetime.UTC)
DATE = {"en": "1 December 2026", "fr": "1 décembre 2026"}
DATETIME = {"en": "1 December 2026, 16:46", "fr": "1 décembre 2026, 16:46"}
MONEY = {"en": "£39.99", "fr": "39,99\xa0£"}
US_SHAPES = ["12/01/2026", "Dec. 1", " 4:46", "p.m."]
LANGUAGES = ["en", "fr"]


@pytest.fixture
def customer():
    with time_machine.travel(MOMENT, tick=False):
        return UserFactory()


@pytest.fixture
def client_for(customer):
    client = Client()
    client.force_login(customer)
    return client


US_TIME = re.compile(r"\b\d{1,2}:\d{2}\s?(a\.m\.|p\.m\.|AM|PM)")


def no_us_shapes(text):
    found = [shape for shape in US_SHAPES if shape in text]
    return found + US_TIME.findall(text)


@pytest.fixture
def order(customer):
    with time_machine.travel(MOMENT, tick=False):
        return paid_order(user=customer, subtotal_pence=3999)


@pytest.mark.parametrize("language", LANGUAGES)
def test_order_list_shows_the_local_date_and_money(client_for, order, language):
    page = client_for.get(f"/{language}/orders/").text
    assert DATE[language] in page
    assert MONEY[language] in page
    assert no_us_shapes(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_order_page_shows_date_time_money_and_a_uk_address(client_for, order, language):
    page = client_for.get(f"/{language}/orders/{order.number}/").text
    assert DATETIME[language] in page
    assert MONEY[language] in page
    assert no_us_shapes(page) == []
    country = {"en": "United Kingdom", "fr": "Royaume-Uni"}[language]
    expected = f"Ada Lovelace<br>12 St James&#x27;s Square<br>London<br>SW1Y 4JH<br>{country}"
    assert f'<address data-testid="delivery-address">{expected}</address>' in page
    assert ">GB<" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_order_page_lays_out_a_french_address_postcode_first(client_for, customer, language):
    with time_machine.travel(MOMENT, tick=False):
        order = OrderFactory(
            user=customer,
            delivery_name="Marie Curie",
            delivery_line1="11 rue Pierre et Marie Curie",
            delivery_line2="Bâtiment B",
            delivery_city="Paris",
            delivery_postcode="75005",
            delivery_country="FR",
        )
    page = client_for.get(f"/{language}/orders/{order.number}/").text
    expected = "Marie Curie<br>11 rue Pierre et Marie Curie<br>Bâtiment B<br>75005 Paris<br>France"
    assert expected in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard_shows_the_local_date(client_for, language):
    page = client_for.get(f"/{language}/account/").text
    assert f'<dd data-testid="date-joined">{DATE[language]}</dd>' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_security_log_shows_local_date_and_24_hour_time(client_for, customer, language):
    with time_machine.travel(MOMENT, tick=False):
        SecurityEventFactory(user=customer)
    page = client_for.get(f"/{language}/account/security/").text
    assert DATETIME[language] in page
    assert no_us_shapes(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_consent_history_shows_local_date_and_time(client_for, customer, language):
    with time_machine.travel(MOMENT, tick=False):
        ConsentRecordFactory(user=customer)
    page = client_for.get(f"/{language}/account/preferences/").text
    assert DATETIME[language] in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_address_book_lays_out_addresses_by_country(client_for, customer, language):
    AddressFactory(user=customer)
    AddressFactory(user=customer, city="Lyon", postcode="69002", country="FR", line1="2 quai")
    page = client_for.get(f"/{language}/account/addresses/").text
    country = {"en": "United Kingdom", "fr": "Royaume-Uni"}[language]
    assert f"London<br>SW1Y 4JH<br>{country}" in page
    assert "2 quai<br>69002 Lyon<br>France" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_order_confirmation_e_mail_uses_local_formats(
    customer, order, language, django_capture_on_commit_callbacks
):
    customer.language = language
    customer.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order_paid_email_send(order=order)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    country = {"en": "United Kingdom", "fr": "Royaume-Uni"}[language]
    for body in (message.body, html):
        assert DATETIME[language] in body
        assert MONEY[language] in body
        assert no_us_shapes(body) == []
    assert "SW1Y" not in message.body and "SW1Y" not in html  # no address in e-mails
    assert country not in message.body


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Marie Curie\n2 quai\n69002 Lyon\nFrance\n"), ("fr", "69002 Lyon\nFrance\n")],
)
def test_the_address_filter_lays_out_text_for_e_mails(language, expected):
    address = AddressFactory.build(
        name="Marie Curie", line1="2 quai", line2="", city="Lyon", postcode="69002", country="FR"
    )
    template = Template(
        "{% load addresses %}{% for line in address|address_lines %}{{ line }}\n{% endfor %}"
    )
    with translation.override(language), purpose("orders"):  # as an order e-mail renders
        assert expected in template.render(Context({"address": address}))


def test_address_lines_follow_the_country_and_skip_empty_lines():
    gb = AddressFactory.build(line2="", country="GB")
    fr = AddressFactory.build(line2="", city="Paris", postcode="75001", country="FR")
    with translation.override("fr"), purpose("orders"):
        assert address_lines(gb) == [
            "Ada Lovelace",
            "12 St James's Square",
            "London",
            "SW1Y 4JH",
            "Royaume-Uni",
        ]
        assert address_lines(fr)[-2:] == ["75001 Paris", "France"]
    unknown = AddressFactory.build(country="XX")
    with purpose("orders"):
        assert address_lines(unknown)[-1] == "XX"


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", MOMENT, "1 December 2026, 16:46"),
        ("fr", MOMENT, "1 décembre 2026, 16:46"),
        ("en", MOMENT.date(), "1 December 2026"),
        ("fr", MOMENT.date(), "1 décembre 2026"),
    ],
)
def test_default_date_rendering_is_local(language, value, expected):
    with translation.override(language):
        assert Template("{{ value }}").render(Context({"value": value})) == expected


@pytest.mark.parametrize(("language", "expected"), [("en", "16:46"), ("fr", "16:46")])
def test_times_use_the_24_hour_clock(language, expected):
    with translation.override(language):
        rendered = Template('{{ value|time:"TIME_FORMAT" }}').render(Context({"value": MOMENT}))
    assert rendered == expected
