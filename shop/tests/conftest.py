import pytest

from offtek.csp import STRIPE_HOSTS, csp_policy
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
    # The policy the shop runs with when Stripe is the gateway (settings compute it
    # once, at start, from PAYMENT_GATEWAY).
    settings.SECURE_CSP = csp_policy(stripe=STRIPE_HOSTS)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _memory_sms_and_reviews(settings):
    """Text messages and review invitations stay in memory (reset for each test)."""
    from shop.fulfilment.reviews.memory import MemoryReviewProvider
    from shop.fulfilment.sms.memory import MemorySmsBackend

    settings.SMS_BACKEND = "memory"
    settings.REVIEW_PROVIDER_BACKEND = "memory"
    settings.COURIER_WEBHOOK_SECRET = "courier-test-secret"
    MemorySmsBackend.reset()
    MemoryReviewProvider.reset()
    yield
    MemorySmsBackend.reset()
    MemoryReviewProvider.reset()


@pytest.fixture
def staff_client(client):
    from allauth.mfa.models import Authenticator

    from privacy.tests.factories import UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type="totp", data={"secret": "x"})
    client.force_login(staff)
    client.staff = staff
    return client


@pytest.fixture
def started(client, fake_stripe):
    """An order for 2 x £20.00 (below free delivery, so £3.99 delivery is charged)
    with its PaymentIntent created (stock 5 -> 3)."""
    from django.urls import reverse

    from privacy.tests.factories import UserFactory
    from shop.tests.factories import ModuleFactory
    from shop.tests.helpers import basket_add, checkout_place

    client.force_login(UserFactory())
    module = ModuleFactory(stock=5, price_pence=2000)
    basket_add(client, module, 2)
    order = checkout_place(client)
    assert order.delivery_pence > 0 and order.total_pence == 4399
    page = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    payment = order.payments.get()
    return order, module, payment, page
