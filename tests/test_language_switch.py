"""The language switch goes to the same page in the chosen language, whatever language
the browser asks for, with the query string, and remembers the choice."""

import pytest
from django.conf import settings
from django.test import Client

from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def switch(client, language, next_url, **headers):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url}, headers=headers)


@pytest.mark.parametrize(
    ("browser", "language", "page", "expected"),
    [
        ("fr-FR,fr;q=0.9", "fr", "/en/memory/?capacity=16&p=2", "/fr/memory/?capacity=16&p=2"),
        ("en-GB,en;q=0.9", "en", "/fr/memory/?capacity=16&p=2", "/en/memory/?capacity=16&p=2"),
        ("fr-FR,fr;q=0.9", "fr", "/en/finder/?q=T480", "/fr/finder/?q=T480"),
        ("en-GB,en;q=0.9", "en", "/fr/privacy/", "/en/privacy/"),
        ("fr", "fr", "/en/", "/fr/"),
        ("en", "en", "/fr/", "/en/"),
    ],
)
def test_the_switch_works_whatever_the_browser_language(browser, language, page, expected):
    client = Client()
    response = switch(client, language, page, accept_language=browser)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_the_switch_works_against_the_language_cookie():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = switch(client, "fr", "/en/memory/?q=ddr4", accept_language="en")
    assert response["Location"] == "/fr/memory/?q=ddr4"
    page = client.get(response["Location"], follow=True)
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    # and back again, from the French page, with the French cookie now set
    back = switch(client, "en", "/fr/memory/?q=ddr4", accept_language="fr")
    assert back["Location"] == "/en/memory/?q=ddr4"
    assert '<html lang="en">' in client.get(back["Location"], follow=True).text


def test_a_page_that_does_not_exist_keeps_its_path():
    response = switch(Client(), "fr", "/en/no-such-page/?x=1", accept_language="fr")
    assert response["Location"] == "/fr/no-such-page/?x=1"


def test_a_page_without_a_language_prefix_is_kept():
    response = switch(Client(), "fr", "/payments/stripe/webhook/", accept_language="en")
    assert response["Location"] == "/payments/stripe/webhook/"


def test_the_referer_is_used_when_there_is_no_next():
    client = Client()
    response = client.post(
        "/i18n/setlang/",
        {"language": "fr"},
        headers={"referer": "http://testserver/en/memory/?q=1", "accept_language": "en"},
    )
    assert response["Location"] == "/fr/memory/?q=1"


@pytest.mark.parametrize("unsafe", ["https://evil.example/en/", "//evil.example/en/", ""])
def test_an_unsafe_or_missing_next_goes_home_in_the_language(unsafe):
    response = switch(Client(), "fr", unsafe, accept_language="en")
    assert response["Location"] == "/fr/"


@pytest.mark.parametrize("language", ["xx", "", "de"])
def test_an_unknown_language_changes_nothing(language):
    user = UserFactory(language="en")
    client = Client()
    client.force_login(user)
    response = switch(client, language, "/en/memory/")
    assert response.status_code == 302
    assert response["Location"] == "/en/memory/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.language == "en"


def test_the_choice_is_stored_on_the_account_both_ways():
    user = UserFactory(language="en")
    client = Client()
    client.force_login(user)
    switch(client, "fr", "/en/account/", accept_language="en")
    user.refresh_from_db()
    assert user.language == "fr"
    switch(client, "en", "/fr/account/", accept_language="fr")
    user.refresh_from_db()
    assert user.language == "en"


def test_the_switch_refuses_get():
    assert Client().get("/i18n/setlang/?language=fr").status_code == 405
