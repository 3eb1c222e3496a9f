"""Cookies as a visitor's browser sees them: no banner, only the cookies the cookie page
lists, and no third party contacted while browsing the catalog."""

from urllib.parse import urlsplit

import pytest

from privacy import policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_only_listed_cookies_no_banner_no_third_party(live_server, page):
    host = urlsplit(live_server.url).netloc
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(f"{live_server.url}/en/")
    page.goto(f"{live_server.url}/en/cookies/")
    assert page.locator("#cookie-banner").count() == 0
    listed = {cookie.name for cookie in policy.cookies()}
    jar = {cookie["name"] for cookie in page.context.cookies()}
    assert jar <= listed, f"unlisted cookies: {jar - listed}"
    assert {urlsplit(u).netloc for u in urls if not u.startswith("data:")} == {host}
