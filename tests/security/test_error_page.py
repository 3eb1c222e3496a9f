"""A view that raises shows the translated 500 page: no traceback, no secret, no setting."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.crash_urls")]

LEAKS = [
    "Traceback",
    "ShopBroke",
    "crash detail that must not reach the page",
    "SECRET_KEY",
    "CRYPTOGRAPHY_KEY",
    "DATABASES",
    "INSTALLED_APPS",
    "settings.py",
    "site-packages",
]


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "Something went wrong"), ("fr", "Une erreur s’est produite")],
)
def test_forced_error_shows_the_translated_500_page(settings, lang, heading):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get(f"/{lang}/crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert heading in html
    assert f'lang="{lang}"' in html
    for leak in LEAKS:
        assert leak not in html, leak
    for key in (django_settings.SECRET_KEY, django_settings.CRYPTOGRAPHY_KEY):
        assert (key if isinstance(key, bytes) else key.encode()) not in response.content


def test_the_check_would_see_a_debug_page(settings):
    """The control: with DEBUG on, the same crash shows what the test looks for."""
    settings.DEBUG = True
    response = Client(raise_request_exception=False).get("/en/crash/")
    assert response.status_code == 500
    assert "ShopBroke" in response.content.decode()


def test_a_bad_host_gets_the_400_page(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["shop.example"]
    response = Client(raise_request_exception=False).get("/fr/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "Requête incorrecte" in response.content.decode()
