"""Global Privacy Control: for a signed-in customer, one withdrawal in the consent ledger,
in both languages; the cookie page says when the signal is honoured."""

import pytest
from django.test import Client
from django.urls import reverse

from privacy.consent.selectors import consents_current
from privacy.consent.services import consents_record
from privacy.models import ConsentRecord, ConsentSource
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GPC = {"HTTP_SEC_GPC": "1"}


def granted(user):
    return {purpose: row.granted for purpose, row in consents_current(user=user).items()}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Your browser is sending the Global Privacy Control signal now"),
        ("fr", "Votre navigateur envoie le signal Global Privacy Control en ce moment"),
    ],
)
def test_the_cookie_page_explains_gpc_and_says_when_it_is_honoured(client, lang, text):
    html = client.get(f"/{lang}/cookies/", **GPC).content.decode()
    assert "global-privacy-control" in html
    assert text in html
    assert text not in client.get(f"/{lang}/cookies/").content.decode()


def test_a_signed_in_customers_consents_are_withdrawn_once_from_the_gpc_source(client):
    user = UserFactory()
    consents_record(
        user=user,
        choices={"marketing-email": True, "marketing-sms": True, "review-invitations": True},
        source=ConsentSource.DASHBOARD,
    )
    client.force_login(user)
    client.get(reverse("shop:home"), **GPC)
    rows = ConsentRecord.objects.filter(user=user, source=ConsentSource.GPC)
    assert {(r.purpose, r.granted) for r in rows} == {
        ("marketing-email", False),
        ("review-invitations", False),
        ("marketing-sms", False),
    }
    user.refresh_from_db()
    assert user.gpc_honoured_at is not None
    # Later requests, and a new session, write nothing more.
    client.get(reverse("shop:home"), **GPC)
    other = Client()
    other.force_login(user)
    other.get(reverse("shop:home"), **GPC)
    assert ConsentRecord.objects.filter(user=user, source=ConsentSource.GPC).count() == 3


def test_a_choice_on_the_site_after_gpc_stands(client):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("shop:home"), **GPC)  # nothing granted: nothing to withdraw
    assert not ConsentRecord.objects.filter(user=user).exists()
    client.post(reverse("privacy:preferences"), {"marketing-email": "on"}, **GPC)
    again = Client()
    again.force_login(user)
    again.get(reverse("shop:home"), **GPC)
    assert granted(user)["marketing-email"] is True


def test_no_signal_changes_nothing(client):
    user = UserFactory()
    consents_record(user=user, choices={"marketing-email": True}, source=ConsentSource.SIGNUP)
    client.force_login(user)
    client.get(reverse("shop:home"))
    user.refresh_from_db()
    assert user.gpc_honoured_at is None
    assert granted(user)["marketing-email"] is True


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("en", "Global Privacy Control signal from your browser"),
        ("fr", "Signal Global Privacy Control de votre navigateur"),
    ],
)
def test_the_consent_history_names_the_gpc_source(client, lang, label):
    user = UserFactory()
    consents_record(user=user, choices={"marketing-email": True}, source=ConsentSource.SIGNUP)
    client.force_login(user)
    client.get(f"/{lang}/", **GPC)
    html = client.get(f"/{lang}/account/preferences/").content.decode()
    assert label in html
