"""The policy's other way to stop marketing: a request on the Privacy Officer form."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from privacy.models import PrivacyRequest, PrivacyRequestStatus
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_cache(settings):
    settings.SITE_URL = "https://shop.test"
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(("language", "label"), [("en", "Stop marketing"), ("fr", None)])
def test_the_contact_form_takes_a_request_to_stop_marketing(
    client, django_capture_on_commit_callbacks, language, label
):
    user = UserFactory(language=language)
    client.force_login(user)
    with translation.override(language):
        url = reverse("privacy:contact")
        page = client.get(url).content.decode()
        expected = label or str(PrivacyRequest._meta.get_field("kind").choices[5][1])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"kind": "marketing", "message": "No more offers."})
    assert 'value="marketing"' in page and expected in page
    request = PrivacyRequest.objects.get(user=user)
    assert request.reference in response.content.decode()
    assert (request.kind, request.status) == ("marketing", PrivacyRequestStatus.OPEN)
    # Acknowledged by e-mail, which the disclosure ledger records for customer care.
    assert len(mail.outbox) == 1
    assert user.disclosures.get().purpose == "customer-care"
