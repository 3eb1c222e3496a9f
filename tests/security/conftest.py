import pytest
from django.test import Client

from privacy.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _shop_defaults(settings):
    """The simulator gateway, fast password hashing, text messages in memory."""
    from shop.fulfilment.sms.memory import MemorySmsBackend

    settings.PAYMENT_GATEWAY = "simulator"
    settings.SITE_URL = "https://shop.test"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "memory"
    settings.REVIEW_PROVIDER_BACKEND = "memory"
    settings.COURIER_WEBHOOK_SECRET = "courier-test-secret"
    MemorySmsBackend.reset()
    yield
    MemorySmsBackend.reset()


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def intruder_client():
    """Another verified, signed-in customer."""
    client = Client()
    client.force_login(UserFactory())
    return client
