"""In Chromium, the language buttons work from a page in the other language than the
browser's: a French browser on an English page goes to the French page and back, an
English browser on a French page likewise, the query string kept each time, for a
visitor and for a signed-in customer (whose choice is stored on the account)."""

import pytest
from playwright.sync_api import expect

from privacy.models import User
from privacy.tests.factories import PASSWORD, UserFactory
from shop.tests.factories import ModuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUERY = "generation=DDR4&capacity=16"
BUTTON = {"en": "English", "fr": "Français"}
HEADING = {"en": "Memory modules", "fr": "Modules de mémoire"}


@pytest.fixture
def module():
    return ModuleFactory(generation="DDR4", capacity_gb=16)


def switch_and_back(page, base, start, browser_language):
    other = "en" if start == "fr" else "fr"
    page.goto(f"{base}/{start}/memory/?{QUERY}")
    expect(page.locator("html")).to_have_attribute("lang", start)
    assert f"?{QUERY}" in page.url, "the catalog keeps this query as it is"
    page.get_by_role("button", name=BUTTON[other]).click()
    expect(page).to_have_url(f"{base}/{other}/memory/?{QUERY}")
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING[other])
    page.get_by_role("button", name=BUTTON[start]).click()
    expect(page).to_have_url(f"{base}/{start}/memory/?{QUERY}")
    expect(page.locator("html")).to_have_attribute("lang", start)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING[start])


@pytest.mark.parametrize(
    ("browser_locale", "accept", "start"),
    [("fr-FR", "fr-FR,fr;q=0.9", "en"), ("en-GB", "en-GB,en;q=0.9", "fr")],
)
def test_a_visitor_switches_both_ways_from_the_other_language(
    live_server, browser, module, browser_locale, accept, start
):
    context = browser.new_context(
        locale=browser_locale, extra_http_headers={"Accept-Language": accept}
    )
    page = context.new_page()
    try:
        switch_and_back(page, live_server.url, start, browser_locale)
    finally:
        context.close()


def test_a_customer_switches_and_the_choice_is_stored(live_server, browser, module):
    user = UserFactory(language="en")
    context = browser.new_context(
        locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"}
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").last.click()
        expect(page.get_by_role("link", name="My account")).to_be_visible()
        page.goto(f"{live_server.url}/en/memory/?{QUERY}")
        page.get_by_role("button", name="Français").click()
        expect(page).to_have_url(f"{live_server.url}/fr/memory/?{QUERY}")
        assert User.objects.get(pk=user.pk).language == "fr"
        page.get_by_role("button", name="English").click()
        expect(page).to_have_url(f"{live_server.url}/en/memory/?{QUERY}")
        assert User.objects.get(pk=user.pk).language == "en"
    finally:
        context.close()
