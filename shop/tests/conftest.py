import pytest
from django.utils import translation

from shop.tests.stripe_fake import FakeStripe
from shop.tests.stubs import stub_missing_templates


@pytest.fixture(autouse=True)
def _templates_from_other_branches(settings):
    stub_missing_templates(settings)


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """A request to a /fr/ URL leaves French active in the thread; start each test
    in English."""
    translation.activate("en")
    yield
    translation.deactivate()


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
