"""The security log says "Personal data downloaded" only when the file was downloaded
(reading "My data" is not a download), and its advice sits only beside the events it
fits."""

import pytest
from django.test import Client

from privacy.models import SECURITY_ADVICE_KINDS, SecurityEvent, SecurityEventKind
from privacy.tests.factories import SecurityEventFactory, UserFactory

pytestmark = pytest.mark.django_db

ADVICE = "Not you? Change your password and contact us."


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def exports(user):
    return SecurityEvent.objects.filter(user=user, kind=SecurityEventKind.EXPORT).count()


def test_reading_my_data_is_not_logged_as_a_download():
    user = UserFactory()
    client = signed_in(user)
    assert client.get("/en/account/my-data/").status_code == 200
    assert exports(user) == 0
    response = client.get("/en/account/my-data.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert exports(user) == 1


def test_the_advice_is_shown_only_beside_the_events_it_fits():
    user = UserFactory()
    SecurityEventFactory(user=user, kind=SecurityEventKind.LOGOUT)
    SecurityEventFactory(user=user, kind=SecurityEventKind.STAFF_VIEW)
    SecurityEventFactory(user=user, kind=SecurityEventKind.PASSWORD_CHANGED)
    page = signed_in(user).get("/en/account/security/").content.decode()
    # A sign-out and a staff view call for no password change: no advice in their cell.
    assert "Signed out</td>" in page
    assert "A member of staff viewed your record</td>" in page
    assert f'Password changed<br><small class="muted" data-testid="advice">{ADVICE}' in page
    advised = SecurityEvent.objects.filter(user=user, kind__in=SECURITY_ADVICE_KINDS)
    assert page.count(ADVICE) == advised.count()  # the sign-in of this test, the change
