"""Cookies: the site sets only strictly necessary ones, each listed on the cookie page,
so it asks for no cookie consent; answers the old banner wrote stay readable."""

import pytest
from django.urls import NoReverseMatch, reverse

from privacy import policy
from privacy.consent.services import UnknownConsentPurpose, consents_record
from privacy.models import ConsentRecord, ConsentSource
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_site_sets_only_the_cookies_the_cookie_page_lists(client):
    listed = {cookie.name for cookie in policy.cookies()}
    page = client.get(reverse("privacy:cookies")).content.decode()
    set_names = set()
    user = UserFactory()
    client.force_login(user)  # the session cookie
    set_names |= set(client.cookies)
    for url in (reverse("shop:home"), reverse("privacy:policy"), reverse("privacy:contact")):
        response = client.get(url)
        set_names |= set(response.cookies)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/fr/"})
    set_names |= set(response.cookies)
    assert set_names, "the walk sets cookies"
    assert set_names <= listed
    for name in set_names:
        assert f'id="cookie-{name}"' in page


def test_no_banner_and_no_choice_to_make(client):
    html = client.get(reverse("shop:home")).content.decode()
    assert "cookie-banner" not in html and "Accept all" not in html
    with pytest.raises(NoReverseMatch):
        reverse("privacy:cookie-choice")


def test_a_retired_cookie_purpose_cannot_be_granted_anew():
    with pytest.raises(UnknownConsentPurpose):
        consents_record(
            user=UserFactory(), choices={"analytics-cookies": True}, source=ConsentSource.DASHBOARD
        )


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("en", "Analytics cookies (no longer used: the site sets none)"),
        ("fr", "Cookies de mesure d’audience (plus utilisés : le site n’en dépose aucun)"),
    ],
)
def test_answers_the_old_banner_wrote_stay_readable(client, lang, label):
    user = UserFactory()
    ConsentRecord.objects.create(
        user=user,
        purpose="analytics-cookies",
        granted=False,
        policy_version="2026-11",
        source=ConsentSource.COOKIE_BANNER,
    )
    client.force_login(user)
    history = client.get(f"/{lang}/account/preferences/").content.decode()
    assert label in history.replace("&#x27;", "'")
