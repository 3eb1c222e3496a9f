"""Cookie consent as a visitor's browser sees it: nothing optional before consent, the
two choices equally prominent, with and without JavaScript."""

from urllib.parse import urlsplit

import pytest

from privacy import policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def known_cookie_names():
    return {cookie.name for cookie in policy.cookies()}


def watch_requests(page):
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def origins(urls):
    return {urlsplit(url).netloc for url in urls if not url.startswith("data:")}


def test_nothing_optional_before_consent_and_reject_all_in_place(live_server, page, artifacts_dir):
    host = urlsplit(live_server.url).netloc
    urls = watch_requests(page)
    page.goto(f"{live_server.url}/en/")
    banner = page.locator("#cookie-banner")
    assert banner.is_visible()

    before = {cookie["name"] for cookie in page.context.cookies()}
    assert policy.CONSENT_COOKIE_NAME not in before
    assert before <= known_cookie_names(), f"unlisted cookies: {before - known_cookie_names()}"
    assert origins(urls) == {host}, "a third party was contacted before consent"

    reject = banner.get_by_role("button", name="Reject all")
    accept = banner.get_by_role("button", name="Accept all")
    reject_box, accept_box = reject.bounding_box(), accept.bounding_box()
    assert (reject_box["width"], reject_box["height"]) == (
        accept_box["width"],
        accept_box["height"],
    )
    style = (
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color, "
        "getComputedStyle(e).fontSize, getComputedStyle(e).fontWeight]"
    )
    assert reject.evaluate(style) == accept.evaluate(style)
    page.screenshot(path=artifacts_dir / "cookie-banner.png")

    address_before = page.url
    reject.click()
    banner.wait_for(state="hidden")
    assert page.url == address_before  # saved in place by the script, no reload
    jar = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert jar[policy.CONSENT_COOKIE_NAME] in (
        '"analytics:0|marketing:0"',
        "analytics:0|marketing:0",
    )
    assert set(jar) <= known_cookie_names()
    assert origins(urls) == {host}

    page.reload()
    assert not page.locator("#cookie-banner").is_visible()
    page.get_by_role("link", name="Cookie settings").click()
    assert page.locator("#cookie-banner").is_visible()
    assert page.locator("#cookie-banner details").get_attribute("open") is not None


def test_accept_all_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/privacy/")
    page.locator("#cookie-banner").get_by_role("button", name="Accept all").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/en/privacy/"
    jar = {cookie["name"]: cookie["value"] for cookie in context.cookies()}
    assert "analytics:1|marketing:1" in jar[policy.CONSENT_COOKIE_NAME]
    assert not page.locator("#cookie-banner").is_visible()
    assert set(jar) <= known_cookie_names()
    context.close()


def test_cookie_settings_by_category_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/cookies/")
    settings_form = page.locator("#cookie-settings form")
    settings_form.get_by_label("Analytics").check()
    settings_form.get_by_role("button", name="Save my choices").click()
    page.wait_for_load_state()
    jar = {cookie["name"]: cookie["value"] for cookie in context.cookies()}
    assert "analytics:1|marketing:0" in jar[policy.CONSENT_COOKIE_NAME]
    assert page.locator("#cookie-settings form").get_by_label("Analytics").is_checked()
    context.close()
