"""The low findings of the attacker's review, each proven through the public surface:
sign-up takes the same work whether or not the address is a customer; every e-mailed
link comes from SITE_URL, never the Host header; flash messages stay on the server."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from privacy.tests.factories import UserFactory
from tests.security.hashers import CountingHasher

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-pass-phrase-77"


def signup(client, email):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_sign_up_hashes_a_password_whether_or_not_the_address_is_a_customer(settings):
    """The slow part of a sign-up is hashing the password: an address that already has
    an account pays for it too, so the answer's timing tells nothing."""
    settings.PASSWORD_HASHERS = ["tests.security.hashers.CountingHasher"]
    existing = UserFactory()
    work = {}
    for label, email in (("new", "brand.new@example.com"), ("existing", existing.email)):
        CountingHasher.calls = 0
        response = signup(Client(), email)
        assert response.status_code == 302
        work[label] = CountingHasher.calls
    assert work["new"] >= 1
    assert work["existing"] == work["new"]


LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.mark.parametrize("host", ["127.0.0.1:6666", "localhost:7777"])
def test_password_reset_links_come_from_site_url_not_the_host_header(
    settings, host, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://shop.test"
    customer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": customer.email}, HTTP_HOST=host)
    (message,) = mail.outbox
    body = message.body + "".join(str(alt[0]) for alt in getattr(message, "alternatives", []))
    links = LINK.findall(body)
    assert any("/password/reset/key/" in link for link in links)
    assert all(link.startswith("https://shop.test/") for link in links), links
    assert host not in body and host.split(":")[1] not in body


def test_every_link_of_sign_up_mails_comes_from_site_url(
    settings, django_capture_on_commit_callbacks
):
    """The verification e-mail of a new address, and the 'you already have an account'
    e-mail of a known one, with a forged Host."""
    settings.SITE_URL = "https://shop.test"
    existing = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        signup(Client(HTTP_HOST="127.0.0.1:6666"), "brand.new@example.com")
        signup(Client(HTTP_HOST="127.0.0.1:6666"), existing.email)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        body = message.body + "".join(str(alt[0]) for alt in message.alternatives)
        links = LINK.findall(body)
        assert links, message.subject
        assert all(link.startswith("https://shop.test/") for link in links), links
        assert "6666" not in body


def test_messages_stay_on_the_server_and_no_cookie_carries_personal_data(client):
    """Signing up shows "confirmation sent to <address>": that text must not travel in
    a cookie (the cookie storage signs it, it does not encrypt it)."""
    email = "cookie.check@example.com"
    response = signup(client, email)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "We have sent a confirmation e-mail" in page.text  # shown, from the session
    assert "messages" not in client.cookies
    for morsel in list(response.cookies.values()) + list(page.cookies.values()):
        assert email not in morsel.value
        assert "cookie.check" not in morsel.value
