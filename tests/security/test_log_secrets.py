"""The logs, captured at DEBUG from the root logger, never hold a password, a session
key, a CSRF token, or a reset or verification key, through sign-up, e-mail verification,
sign-in, password change, password reset and checkout."""

import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from shop.models import Order, Payment
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import ADDRESS, shown_prices_in

pytestmark = pytest.mark.django_db

EMAIL = "grace.hopper@example.com"
PASSWORDS = ["cobol-harbour-lantern-59", "nanosecond-wire-garden-73", "bugs-in-relay-nine-21"]


class Shopper:
    """A browser-like client that sends the CSRF token and remembers every secret it saw."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)
        self.secrets = set(PASSWORDS)

    def _note(self, response):
        for name in ("sessionid", "csrftoken"):
            if name in self.client.cookies and self.client.cookies[name].value:
                self.secrets.add(self.client.cookies[name].value)
        return response

    def get(self, url):
        return self._note(self.client.get(url))

    def post(self, url, data=None, *, page=None):
        self.get(page or url)  # the form's page, which sets the CSRF cookie
        token = self.client.cookies["csrftoken"].value
        self.secrets.add(token)
        data = {**(data or {}), "csrfmiddlewaretoken": token}
        return self._note(self.client.post(url, data))


def link_in(message, pattern):
    match = re.search(r"https?://[^/\s]+(/\S*" + pattern + r"\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def leaks(caplog, secrets):
    logged = caplog.text + "".join(
        repr(record.args) + repr(getattr(record, "request", "")) for record in caplog.records
    )
    return sorted(secret for secret in secrets if secret and secret in logged)


def test_no_secret_reaches_the_logs(caplog, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = False
    caplog.set_level(logging.DEBUG)
    shopper = Shopper()
    first, second, third = PASSWORDS

    # Sign-up and e-mail verification.
    signup = reverse("account_signup")
    with django_capture_on_commit_callbacks(execute=True):
        answer = shopper.post(signup, {"email": EMAIL, "password1": first, "password2": first})
    assert answer.status_code == 302
    confirm = link_in(mail.outbox[-1], "/confirm-email/")
    shopper.secrets.add(confirm.rstrip("/").rsplit("/", 1)[-1])
    assert shopper.post(confirm).status_code == 302

    # Password change, sign-out, sign-in.
    change = reverse("account_change_password")
    response = shopper.post(
        change, {"oldpassword": first, "password1": second, "password2": second}
    )
    assert response.status_code == 302
    shopper.post(reverse("account_logout"), page=reverse("shop:home"))
    login = reverse("account_login")
    assert shopper.post(login, {"login": EMAIL, "password": second}).status_code == 302
    shopper.post(reverse("account_logout"), page=reverse("shop:home"))

    # Password reset through the e-mailed key, then sign-in with the new password.
    with django_capture_on_commit_callbacks(execute=True):
        shopper.post(reverse("account_reset_password"), {"email": EMAIL})
    reset = link_in(mail.outbox[-1], "/password/reset/key/")
    shopper.secrets.add(reset.rstrip("/").rsplit("-", 1)[-1])
    form_url = shopper.get(reset)["Location"]
    response = shopper.post(form_url, {"password1": third, "password2": third})
    assert response.status_code == 302
    assert shopper.post(login, {"login": EMAIL, "password": third}).status_code == 302

    # Checkout and a card payment through the simulator.
    module = ModuleFactory(stock=3, price_pence=4599)
    basket = reverse("shop:basket-detail")
    shopper.post(reverse("shop:basket-add"), {"module": module.pk, "quantity": 1}, page=basket)
    shown = shown_prices_in(shopper.get(reverse("shop:checkout")).content.decode())
    assert shopper.post(reverse("shop:checkout"), {**ADDRESS, **shown}).status_code == 302
    order = Order.objects.get()
    card_form = shopper.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    card = {"number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"}
    shopper.post(card_form["Location"], card)
    assert Payment.objects.get().status == "succeeded"

    assert len(shopper.secrets) >= len(PASSWORDS) + 4  # keys, tokens and passwords seen
    assert caplog.records  # the capture heard the flow
    assert leaks(caplog, shopper.secrets) == []


def test_a_logged_secret_would_be_found(caplog):
    """The control: the same scan finds a secret that does reach a log."""
    caplog.set_level(logging.DEBUG)
    logging.getLogger("shop").debug("reset key %s", "k3y-that-leaked")
    assert leaks(caplog, {"k3y-that-leaked", "never-logged"}) == ["k3y-that-leaked"]
