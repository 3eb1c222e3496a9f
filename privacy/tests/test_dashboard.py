"""The account dashboard: details, sections other apps add, links to every right."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from privacy.accounts import dashboard
from privacy.models import User
from privacy.rights.erasure import account_close
from privacy.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def test_dashboard_links_every_right_in_french(client):
    client.force_login(UserFactory(first_name="Honorine", language="fr"))
    html = client.get("/fr/account/").content.decode()
    assert "Honorine" in html
    for name in ("profile", "preferences", "security-log", "export", "account-close", "contact"):
        assert reverse(f"privacy:{name}").replace("/en/", "/fr/") in html
    for section in dashboard.sections():
        assert section.url.replace("/en/", "/fr/") in html
    assert "Fermer mon compte" in html


def test_the_customer_edits_name_and_phone(client):
    user = UserFactory(first_name="Ada", phone="")
    client.force_login(user)
    response = client.post(
        reverse("privacy:profile"),
        {"first_name": "Augusta", "last_name": "King", "phone": "+447911123456"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.phone) == ("Augusta", "King", "+447911123456")
    assert user.history.first().first_name == "Augusta"


def test_the_profile_form_cannot_change_the_login_email(client):
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    client.post(
        reverse("privacy:profile"),
        {"first_name": "A", "last_name": "B", "phone": "", "email": "evil@example.com"},
    )
    user.refresh_from_db()
    assert user.email == "ada@example.com"


def test_closing_ends_every_session_of_the_customer():
    user = UserFactory()
    other = UserFactory()
    for person in (user, user, other):
        Client().force_login(person)
    assert Session.objects.count() == 3
    account_close(user=user)
    assert not User.objects.filter(pk=user.pk).exists()
    remaining = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert remaining == [str(other.pk)]
