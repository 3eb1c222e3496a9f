import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English: a request to /fr/ leaves French active in the thread."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff_client(client):
    """A superuser with two-factor authentication set up (the admin requires it)."""
    from allauth.mfa.models import Authenticator

    from privacy.tests.factories import UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    client.staff = staff
    return client


@pytest.fixture
def providers(settings):
    """Every optional processor configured (the tests' stand-ins for the text message
    provider and the review service; Stripe as the gateway), so that the disclosure
    ledger records what goes to them."""
    settings.SMS_BACKEND = "memory"
    settings.REVIEW_PROVIDER_BACKEND = "memory"
    settings.PAYMENT_GATEWAY = "stripe"
