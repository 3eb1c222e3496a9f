"""Production fails closed: with DJANGO_DEBUG=false the real settings module, started
in a fresh process for each case, refuses every unsafe payment, SMS or courier
configuration and names the variable; OFFTEK_TEST_SHOP=true declares a staging or demo
site, which may use test keys or the simulator and shows a banner on every page."""

import json
import subprocess
import sys

import pytest
from django.test import Client

from offtek.seller import SELLER_FACTS
from tests.security.production import ROOT, manage, production_env, settings_start

REFUSED = [
    # (what the operator set, the variable the refusal must name)
    (
        {"STRIPE_SECRET_KEY": "", "STRIPE_PUBLISHABLE_KEY": "", "STRIPE_WEBHOOK_SECRET": ""},
        "STRIPE_SECRET_KEY is not set",
    ),
    ({"STRIPE_PUBLISHABLE_KEY": ""}, "STRIPE_PUBLISHABLE_KEY is not set"),
    ({"STRIPE_WEBHOOK_SECRET": ""}, "STRIPE_WEBHOOK_SECRET is not set"),
    ({"STRIPE_SECRET_KEY": "sk_test_abc"}, "STRIPE_SECRET_KEY is a Stripe test key"),
    ({"STRIPE_PUBLISHABLE_KEY": "pk_test_abc"}, "STRIPE_PUBLISHABLE_KEY is a Stripe test key"),
    ({"STRIPE_SECRET_KEY": "nonsense"}, "STRIPE_SECRET_KEY does not look like a Stripe key"),
    ({"PAYMENT_GATEWAY": "simulator"}, "PAYMENT_GATEWAY is 'simulator'"),
    ({"COURIER_WEBHOOK_SECRET": ""}, "COURIER_WEBHOOK_SECRET is not set"),
    # The seller's facts: the legal notice and the terms of sale print them.
    ({"OFFTEK_SELLER_NAME": ""}, "OFFTEK_SELLER_NAME is not set"),
    ({"OFFTEK_SELLER_VAT_NUMBER": " "}, "OFFTEK_SELLER_VAT_NUMBER is not set"),
    ({"OFFTEK_SELLER_DIRECTOR": ""}, "OFFTEK_SELLER_DIRECTOR is not set"),
    ({"OFFTEK_HOST_NAME": ""}, "OFFTEK_HOST_NAME is not set"),
    ({"OFFTEK_MEDIATOR_URL": ""}, "OFFTEK_MEDIATOR_URL is not set"),
    ({"SMS_HTTP_URL": ""}, "SMS_HTTP_URL is not set"),
    ({"SMS_HTTP_URL": "http://sms.example/messages"}, "SMS_HTTP_URL is not set to an https://"),
    ({"SMS_HTTP_TOKEN": ""}, "SMS_HTTP_TOKEN is not set"),
    ({"REVIEW_HTTP_URL": "http://reviews.example"}, "REVIEW_HTTP_URL is not set to an https://"),
    ({"REVIEW_HTTP_TOKEN": ""}, "REVIEW_HTTP_TOKEN is not set"),
    # The console backends print customers' numbers, e-mail addresses and texts.
    ({"SMS_BACKEND": "console"}, "SMS_BACKEND is 'console'"),
    ({"REVIEW_PROVIDER_BACKEND": ""}, "REVIEW_PROVIDER_BACKEND is 'console' (the default)"),
    ({"REVIEW_PROVIDER_BACKEND": "console"}, "REVIEW_PROVIDER_BACKEND is 'console'"),
    # A staging site still needs a complete, consistent Stripe set once it has one.
    (
        {
            "OFFTEK_TEST_SHOP": "true",
            "STRIPE_SECRET_KEY": "sk_test_abc",
            "STRIPE_PUBLISHABLE_KEY": "",
        },
        "STRIPE_PUBLISHABLE_KEY is not set",
    ),
    (
        {
            "OFFTEK_TEST_SHOP": "true",
            "STRIPE_SECRET_KEY": "sk_test_abc",
            "STRIPE_PUBLISHABLE_KEY": "pk_live_abc",
        },
        "not both live or both test keys",
    ),
    ({"OFFTEK_TEST_SHOP": "true", "SMS_HTTP_TOKEN": ""}, "SMS_HTTP_TOKEN is not set"),
]


@pytest.mark.parametrize(("overrides", "message"), REFUSED)
def test_production_refuses_to_start(overrides, message):
    result = settings_start(production_env(**overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


STARTS = [
    {},  # live keys, every secret
    {
        "OFFTEK_TEST_SHOP": "true",
        "STRIPE_SECRET_KEY": "sk_test_abc",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_abc",
    },
    {
        "OFFTEK_TEST_SHOP": "true",
        "STRIPE_SECRET_KEY": "",
        "STRIPE_PUBLISHABLE_KEY": "",
        "STRIPE_WEBHOOK_SECRET": "",
        "COURIER_WEBHOOK_SECRET": "",
    },  # the simulator
    {"SMS_BACKEND": "off", "SMS_HTTP_URL": "", "SMS_HTTP_TOKEN": ""},  # no text messages
    {"REVIEW_PROVIDER_BACKEND": "off", "REVIEW_HTTP_URL": "", "REVIEW_HTTP_TOKEN": ""},
    # A staging site may print its test customers' messages.
    {"OFFTEK_TEST_SHOP": "true", "SMS_BACKEND": "console", "REVIEW_PROVIDER_BACKEND": "console"},
    {"OFFTEK_SELLER_VAT_NUMBER_FR": ""},  # optional: a seller with no French VAT number
]


@pytest.mark.parametrize("overrides", STARTS)
def test_production_starts_with_a_safe_configuration(overrides):
    result = settings_start(production_env(**overrides))
    assert result.returncode == 0, result.stderr


def seller_in(env: dict) -> dict:
    """settings.SHOP_SELLER as a process started with ``env`` builds it."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.SHOP_SELLER))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "offtek.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_prints_the_configured_seller():
    seller = seller_in(
        production_env(
            OFFTEK_SELLER_NAME="Offtek Memory Ltd",
            OFFTEK_SELLER_ADDRESS="Unit 4; 12 Dock Road",
            OFFTEK_SELLER_VAT_NUMBER_FR="",
        )
    )
    assert seller["name"] == "Offtek Memory Ltd"
    assert seller["address_lines"] == ["Unit 4", "12 Dock Road"]
    assert seller["vat_number_fr"] == ""


def test_a_test_shop_without_seller_facts_shows_fictional_ones():
    cleared = {fact.variable: "" for fact in SELLER_FACTS}
    seller = seller_in(production_env(OFFTEK_TEST_SHOP="true", **cleared))
    assert seller["name"] == "Offtek Demo Ltd (fictional)"
    assert "(fictional)" in seller["director"] and "(fictional)" in seller["host_name"]


def test_a_refused_configuration_also_stops_manage_py():
    result = manage("check", env=production_env(STRIPE_SECRET_KEY="sk_test_abc"))
    assert result.returncode != 0
    assert "STRIPE_SECRET_KEY is a Stripe test key" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/en/", "Test shop: orders placed here are not real and no card is ever charged."),
        ("/fr/", "Boutique de test : les commandes passées ici ne sont pas réelles"),
        ("/en/accounts/login/", "Test shop: orders placed here are not real"),
        ("/en/privacy/", "Test shop: orders placed here are not real"),
    ],
)
def test_a_test_shop_says_so_on_every_page(settings, path, text):
    settings.TEST_SHOP = True
    settings.PAYMENT_GATEWAY = "stripe"
    assert text in Client().get(path).text


@pytest.mark.django_db
def test_a_live_shop_shows_no_test_banner(settings):
    settings.TEST_SHOP = False
    settings.PAYMENT_GATEWAY = "stripe"
    assert "test-banner" not in Client().get("/en/").text
