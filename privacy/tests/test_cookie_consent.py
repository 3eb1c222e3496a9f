import re

import pytest
from django.urls import reverse

from privacy import policy
from privacy.consent.cookies import CookieChoice, cookie_choice_parse
from privacy.models import ConsentRecord
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def banner_tag(html):
    """The opening tag of the cookie banner."""
    start = html.index('<section class="cookie-banner"')
    return html[start : html.index(">", start) + 1]


def test_the_banner_shows_until_a_choice_is_made(client):
    html = client.get(reverse("shop:home")).content.decode()
    assert "hidden" not in banner_tag(html)
    client.cookies[policy.CONSENT_COOKIE_NAME] = "analytics:0|marketing:0"
    html = client.get(reverse("shop:home")).content.decode()
    assert "hidden" in banner_tag(html)


def test_reject_all_is_exactly_as_prominent_as_accept_all(client):
    html = client.get(reverse("shop:home")).content.decode()
    banner = html[html.index('id="cookie-banner"') :]
    reject = banner[
        banner.index('value="reject-all"') - 60 : banner.index('value="reject-all"') + 40
    ]
    accept = banner[
        banner.index('value="accept-all"') - 60 : banner.index('value="accept-all"') + 40
    ]
    assert 'type="submit" name="choice"' in reject and 'type="submit" name="choice"' in accept
    assert 'class="cookie-choice"' in reject and 'class="cookie-choice"' in accept


def test_choice_without_javascript_sets_the_cookie_and_redirects_back(client):
    response = client.post(
        reverse("privacy:cookie-choice"), {"choice": "reject-all", "next": "/en/privacy/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/privacy/"
    cookie = response.cookies[policy.CONSENT_COOKIE_NAME]
    assert cookie.value == "analytics:0|marketing:0"
    assert cookie["max-age"] == policy.CONSENT_COOKIE_DAYS * 86400


def test_a_foreign_next_url_is_ignored(client):
    response = client.post(
        reverse("privacy:cookie-choice"), {"choice": "accept-all", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("privacy:cookies")


def test_choice_by_category(client):
    response = client.post(reverse("privacy:cookie-choice"), {"choice": "save", "analytics": "on"})
    assert response.cookies[policy.CONSENT_COOKIE_NAME].value == "analytics:1|marketing:0"


def test_fetch_gets_no_redirect(client):
    response = client.post(
        reverse("privacy:cookie-choice"),
        {"choice": "accept-all"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 204


def test_a_signed_in_customers_choice_goes_into_the_ledger(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("privacy:cookie-choice"), {"choice": "accept-all"})
    rows = ConsentRecord.objects.filter(user=user)
    assert {(row.purpose, row.granted, row.source) for row in rows} == {
        ("analytics-cookies", True, "cookie-banner"),
        ("advertising-cookies", True, "cookie-banner"),
    }


def test_analytics_flag_in_every_template_context(client):
    response = client.get(reverse("shop:home"))
    assert response.context["analytics_allowed"] is False
    client.cookies[policy.CONSENT_COOKIE_NAME] = "analytics:1|marketing:0"
    response = client.get(reverse("shop:home"))
    assert response.context["analytics_allowed"] is True
    assert response.context["marketing_allowed"] is False


def test_a_tampered_cookie_counts_as_no_choice():
    assert cookie_choice_parse("analytics:yes") is None
    assert cookie_choice_parse("analytics:1") is None
    assert cookie_choice_parse("analytics:1|marketing:1") == CookieChoice(True, True)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_cookie_page_lists_every_cookie_and_the_settings_form(client, language):
    html = client.get(f"/{language}/cookies/").content.decode()
    for cookie in policy.cookies():
        assert f"<code>{cookie.name}</code>" in html
    assert 'id="cookie-settings"' in html
    for key in ("analytics-cookies", "advertising-cookies"):
        assert str(policy.PURPOSES[key].label) in html


def test_footer_links_on_every_page(client):
    html = client.get(reverse("shop:home")).content.decode()
    for href in (
        reverse("privacy:policy"),
        reverse("privacy:cookies"),
        reverse("privacy:cookies") + "#cookie-settings",
        reverse("privacy:contact"),
    ):
        assert f'href="{href}"' in html


def test_a_signed_in_customers_refusal_is_recorded_too(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("privacy:cookie-choice"), {"choice": "reject-all"})
    rows = ConsentRecord.objects.filter(user=user)
    assert {(row.purpose, row.granted) for row in rows} == {
        ("analytics-cookies", False),
        ("advertising-cookies", False),
    }
    client.post(reverse("privacy:cookie-choice"), {"choice": "reject-all"})
    assert ConsentRecord.objects.filter(user=user).count() == 2  # no change, no row


def test_the_banner_ticks_each_visitors_own_choices():
    """The banner's wording is cached per language; its ticks follow each visitor."""
    from django.test import Client

    def ticked(choice):
        visitor = Client()
        if choice:
            visitor.cookies[policy.CONSENT_COOKIE_NAME] = choice
        page = visitor.get("/en/privacy/").content.decode()
        return {
            name
            for name in ("analytics", "marketing")
            if re.search(rf'name="{name}" id="banner-cookie-{name}"\s+checked', page)
        }

    assert ticked(None) == set()
    assert ticked("analytics:1|marketing:0") == {"analytics"}
    assert ticked("analytics:0|marketing:1") == {"marketing"}
    assert ticked(None) == set()
