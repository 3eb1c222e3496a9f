"""A POST without a CSRF token is refused everywhere except the signed webhooks, which
refuse unsigned bodies instead."""

import logging

import pytest
from django.test import Client
from django.urls import resolve, reverse

from privacy.tests.factories import UserFactory
from tests.security.url_walk import url_paths

pytestmark = pytest.mark.django_db

# Called by machines that cannot hold a CSRF cookie; each proves itself another way.
SIGNED_WEBHOOKS = {"stripe-webhook", "courier-update"}
# RFC 8058 one-click unsubscribe: mail clients POST without a cookie; the signed token in
# the URL is the proof (a forged one is refused: test_ownership.py).
ONE_CLICK = {"privacy:unsubscribe"}


@pytest.fixture
def csrf_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_walk_reaches_every_view():
    paths = list(url_paths())
    assert len(paths) > 100  # the admin's pages included
    for name, path, callback in paths:
        assert resolve(path).func == callback, f"{name}: {path} reaches another view"


def test_post_without_token_is_refused_everywhere_but_the_exempt_urls(csrf_client, caplog):
    accepted = {}
    for name, path, _callback in url_paths():
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
            response = csrf_client.post(path, {"anything": "1"})
        refused = response.status_code == 403 and any(
            record.name == "django.security.csrf" for record in caplog.records
        )
        if not refused:
            accepted[name] = response.status_code
    assert set(accepted) == SIGNED_WEBHOOKS | ONE_CLICK, accepted


def test_the_same_post_with_a_token_gets_past_the_check(csrf_client):
    """The control: the refusal above is the missing token, not the URL."""
    csrf_client.get(reverse("privacy:profile"))
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        reverse("privacy:profile"),
        {"first_name": "Ada", "last_name": "Lovelace", "phone": "", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/payments/stripe/webhook/", {}),
        ("/payments/stripe/webhook/", {"Stripe-Signature": "t=1,v1=forged"}),
        ("/couriers/updates/", {}),
        ("/couriers/updates/", {"X-Offtek-Signature": "forged"}),
    ],
)
def test_webhooks_refuse_unsigned_bodies(settings, csrf_client, url, headers):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_offtek"
    settings.COURIER_WEBHOOK_SECRET = "courier-test-secret"
    body = '{"id": "evt_1", "type": "payment_intent.succeeded", "order": "OT-1"}'
    response = csrf_client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code in (400, 403)
