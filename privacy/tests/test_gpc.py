"""Global Privacy Control: "Reject all" for cookies when no choice was made on the site,
and for a signed-in customer one withdrawal in the consent ledger, in both languages."""

import pytest
from django.test import Client
from django.urls import reverse

from privacy import policy
from privacy.consent.selectors import consents_current
from privacy.consent.services import consents_record
from privacy.models import ConsentRecord, ConsentSource
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GPC = {"HTTP_SEC_GPC": "1"}


def banner_tag(html):
    start = html.index('<section class="cookie-banner"')
    return html[start : html.index(">", start) + 1]


def granted(user):
    return {purpose: row.granted for purpose, row in consents_current(user=user).items()}


def test_gpc_without_a_choice_is_reject_all_and_the_banner_does_not_ask(client):
    html = client.get(reverse("shop:home"), **GPC).content.decode()
    assert "hidden" in banner_tag(html)
    response = client.get(reverse("privacy:cookies"), **GPC)
    assert response.context["analytics_allowed"] is False
    assert response.context["marketing_allowed"] is False
    assert response.context["gpc_honoured"] is True
    assert "hidden" not in banner_tag(client.get(reverse("shop:home")).content.decode())


@pytest.mark.parametrize("value", ["0", "true", "1, 1", ""])
def test_only_the_exact_signal_counts(client, value):
    html = client.get(reverse("shop:home"), HTTP_SEC_GPC=value).content.decode()
    assert "hidden" not in banner_tag(html)


def test_a_choice_made_on_the_site_stands_over_gpc(client):
    client.cookies[policy.CONSENT_COOKIE_NAME] = "analytics:1|marketing:0"
    response = client.get(reverse("privacy:cookies"), **GPC)
    assert response.context["analytics_allowed"] is True
    assert response.context["gpc_honoured"] is False
    assert "data-gpc-honoured" not in response.content.decode()


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Your browser sends Global Privacy Control"),
        ("fr", "Votre navigateur envoie le signal Global Privacy Control"),
    ],
)
def test_the_cookie_page_explains_gpc_and_says_when_it_is_honoured(client, lang, text):
    html = client.get(f"/{lang}/cookies/", **GPC).content.decode()
    assert "global-privacy-control" in html
    assert text in html
    assert text not in client.get(f"/{lang}/cookies/").content.decode()


def test_cached_catalog_pages_differ_for_gpc_and_other_visitors():
    """The anonymous page cache must not serve one visitor's banner state to another."""
    url = reverse("shop:home")
    plain, gpc = Client(), Client()
    first = plain.get(url).content.decode()
    assert "hidden" not in banner_tag(first)
    assert "hidden" in banner_tag(gpc.get(url, **GPC).content.decode())
    assert "hidden" not in banner_tag(plain.get(url).content.decode())


def test_a_signed_in_customers_consents_are_withdrawn_once_from_the_gpc_source(client):
    user = UserFactory()
    consents_record(
        user=user,
        choices={"marketing-email": True, "review-invitations": True, "analytics-cookies": True},
        source=ConsentSource.DASHBOARD,
    )
    client.force_login(user)
    client.get(reverse("shop:home"), **GPC)
    rows = ConsentRecord.objects.filter(user=user, source=ConsentSource.GPC)
    assert {(r.purpose, r.granted) for r in rows} == {
        ("marketing-email", False),
        ("review-invitations", False),
        ("analytics-cookies", False),
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
