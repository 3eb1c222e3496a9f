import pytest

from shop.tests.stripe_fake import FakeStripe


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _simulator_by_default(settings):
    settings.PAYMENT_GATEWAY = "simulator"
    settings.SITE_URL = "https://shop.test"


@pytest.fixture
def fake_stripe(settings):
    """A local fake of the Stripe HTTP API, with the real SDK pointed at it."""
    server = FakeStripe()
    server.start()
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_offtek"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_offtek"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_offtek"
    settings.STRIPE_API_BASE = server.url
    yield server
    server.stop()
