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


def test_dashboard_costs_one_query_and_shows_each_customer_their_own_details(
    django_assert_max_num_queries,
):
    ada, grace = UserFactory(first_name="Ada"), UserFactory(first_name="Grace", language="fr")
    first, second = Client(), Client()
    first.force_login(ada)
    second.force_login(grace)
    first.get("/en/account/")  # the header's basket count goes into the session
    with django_assert_max_num_queries(1):  # the signed-in customer; the session is cached
        english = first.get("/en/account/").text
    second.get("/fr/account/")
    with django_assert_max_num_queries(1):
        french = second.get("/fr/account/").text
    assert ada.email in english and "Ada" in english and grace.email not in english
    assert grace.email in french and "Grace" in french and ada.email not in french
    assert "Close my account" in english and "Fermer mon compte" not in english
    assert "Fermer mon compte" in french and 'href="/en/account/my-data/"' not in french
    assert 'href="/fr/account/my-data/"' in french and 'href="/en/account/my-data/"' in english
