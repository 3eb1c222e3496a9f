"""The home page opens in Chromium, in English and in French."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "skip_link", "sign_in"),
    [("en", "Skip to content", "Sign in"), ("fr", "Aller au contenu", "Se connecter")],
)
def test_home_page_in_both_languages(
    live_server, page, artifacts_dir, language, skip_link, sign_in
):
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    response = page.goto(f"{live_server.url}/{language}/")
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("link", name=sign_in)).to_be_visible()
    expect(page.locator(".skip-link")).to_have_text(skip_link)
    expect(page.get_by_role("search")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"home-{language}.png", full_page=True)
    assert console_errors == [], "CSP violations or script errors on the home page"


def test_language_switcher_moves_to_french(live_server, page):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("button", name="Français").click()
    expect(page).to_have_url(f"{live_server.url}/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
