"""Production fails closed: with DJANGO_DEBUG=false the real settings module, started
in a fresh process for each case, refuses every unsafe payment, SMS or courier
configuration and names the variable; OFFTEK_TEST_SHOP=true declares a staging or demo
site, which may use test keys or the simulator and shows a banner on every page."""

import pytest
from django.test import Client

from tests.security.production import manage, production_env, settings_start

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
    ({"SMS_HTTP_URL": ""}, "SMS_HTTP_URL is not set"),
    ({"SMS_HTTP_URL": "http://sms.example/messages"}, "SMS_HTTP_URL is not set to an https://"),
    ({"SMS_HTTP_TOKEN": ""}, "SMS_HTTP_TOKEN is not set"),
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
    {"SMS_BACKEND": "console", "SMS_HTTP_URL": "", "SMS_HTTP_TOKEN": ""},  # no SMS: off
]


@pytest.mark.parametrize("overrides", STARTS)
def test_production_starts_with_a_safe_configuration(overrides):
    result = settings_start(production_env(**overrides))
    assert result.returncode == 0, result.stderr


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
