"""The privacy and cookie pages say what the registry says, in English and French."""

import datetime
import html as html_lib

import pytest
from django.urls import reverse
from django.utils import translation

from privacy import policy

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
ANCHORS = ["who", "collection", "purposes", "processors", "orders", "marketing", "reviews"]
ANCHORS += ["retention", "security", "phishing", "rights", "cookies", "contact", "complaints"]
ANCHORS += ["changes"]


def page(client, name, language):
    with translation.override(language):
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 200
        return html_lib.unescape(response.content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_page_shows_every_processor_purpose_and_retention_period(client, language):
    html = page(client, "privacy:policy", language)
    in_use = policy.policy_in_use()
    with translation.override(language):
        for processor in in_use.processors.values():
            assert str(processor.label) in html
            assert str(processor.locations) in html
            if processor.outside_eea:
                assert str(processor.safeguard) in html
        for purpose in in_use.purposes:
            assert str(purpose.label) in html
            assert str(purpose.basis_label) in html
        for rule in in_use.retention:
            row = html[html.index(f'id="retention-{rule.key}"') :][:600]
            assert str(rule.label) in row
            assert rule.period_label in row
            assert str(rule.action_label) in row
        for category in policy.CATEGORIES.values():
            assert str(category.label) in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_privacy_page_has_stable_anchors_and_the_facts(client, language):
    html = page(client, "privacy:policy", language)
    for anchor in ANCHORS:
        assert f'id="{anchor}"' in html
    with translation.override(language):
        controller = {key: str(value) for key, value in policy.controller().items()}
    for fact in (
        controller["company_number"],
        controller["address"],
        controller["privacy_email"],
        policy.COMPLAINTS["url"],
        policy.COMPLAINTS["phone"],
        policy.version_current().code,
    ):
        assert fact in html


def test_the_pages_are_really_translated(client):
    english = page(client, "privacy:policy", "en")
    french = page(client, "privacy:policy", "fr")
    assert "Your rights" in english and "Your rights" not in french
    assert "Vos droits" in french
    cookies_fr = page(client, "privacy:cookies", "fr")
    assert "Strictement nécessaires" in cookies_fr and "Strictly necessary" not in cookies_fr


@pytest.mark.parametrize("language", LANGUAGES)
def test_cookie_page_lists_every_cookie_the_site_sets_and_no_choice(client, language):
    html = page(client, "privacy:cookies", language)
    for cookie in policy.cookies():
        assert f'id="cookie-{cookie.name}"' in html
    assert list(policy.COOKIE_CATEGORIES) == ["necessary"]
    assert "Accept all" not in html and "Reject all" not in html


def test_registry_is_consistent():
    for purpose in policy.PURPOSES.values():
        assert purpose.basis in policy.BASES
        assert set(purpose.categories) <= set(policy.CATEGORIES)
        assert set(purpose.processors) <= set(policy.PROCESSORS)
        assert purpose.asks_consent == (purpose.basis == "consent")
    for processor in policy.PROCESSORS.values():
        assert bool(processor.safeguard) == processor.outside_eea
        assert processor.receives
    for rule in policy.RETENTION.values():
        assert rule.purpose in policy.PURPOSES
        assert rule.period is not None or rule.until
    dates = [version.effective for version in policy.VERSIONS]
    assert dates == sorted(dates)


def test_the_seed_policy_periods_are_in_the_schedule(settings):
    """Periods in months are calendar months counted back from the moment of the run."""
    retention = policy.RETENTION
    now = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)

    def start(key):
        return now - retention[key].period_at(now)

    assert start("tax-records") == datetime.datetime(2019, 3, 10, 12, tzinfo=datetime.UTC)
    assert start("security-log") == datetime.datetime(2025, 3, 10, 12, tzinfo=datetime.UTC)
    assert retention["security-log-ip"].period_at(now) == datetime.timedelta(days=30)
    assert retention["abandoned-basket"].period_at(now) == datetime.timedelta(days=30)
    assert retention["unverified-signup"].period_at(now) == datetime.timedelta(days=30)
    assert start("privacy-request") == datetime.datetime(2023, 3, 10, 12, tzinfo=datetime.UTC)
    assert retention["lifetime-warranty"].period is None
    assert retention["lifetime-warranty"].action == policy.Outcome.KEEP
    settings.PRIVACY_INACTIVE_CUSTOMER_MONTHS = 24
    assert start("inactive-customer") == datetime.datetime(2024, 3, 10, 12, tzinfo=datetime.UTC)


def test_a_period_of_months_ends_on_the_same_day_of_the_month():
    """A year over a leap day is 366 days; a month back from 31 March is 28 February."""
    rule = policy.RETENTION["security-log"]  # 12 months
    after_leap_day = datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)
    assert rule.period_at(after_leap_day) == datetime.timedelta(days=366)
    assert rule.period_at(datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)).days == 365


def test_the_current_version_is_the_latest_in_force():
    assert policy.version_current(today=datetime.date(2020, 1, 1)).code == "2019-04"
    assert policy.version_current(today=datetime.date(2026, 11, 2)).code == "2026-11"


def test_collection_notice_include_links_to_the_purpose_section():
    from django.template import Context, Template

    rendered = Template(
        '{% include "privacy/includes/collection_notice.html" with purpose_key="orders" %}'
    ).render(Context({}))
    assert f"{reverse('privacy:policy')}#orders" in rendered
    assert str(policy.PURPOSES["orders"].notice) in html_lib.unescape(rendered)
