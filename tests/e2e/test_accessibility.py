"""axe-core (the npm package) in Chromium on the main pages, in both languages: no
serious or critical violations."""

import os
from pathlib import Path

import pytest

from privacy.tests.factories import UserFactory
from shop.tests.factories import ModuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/privacy/",
    "/cookies/",
    "/basket/",
    "/legal/terms/",
    "/legal/notice/",
    "/legal/mediator/",
    "/withdraw/",
]
SIGNED_IN_PAGES = ["/account/", "/account/preferences/", "/account/security/", "/orders/"]


@pytest.fixture
def axe_source():
    if not AXE.exists():
        message = "axe-core is not installed: run `npm ci` (make test does it)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text()


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected by the test; the site's CSP (tested elsewhere) would refuse it.
    return {**browser_context_args, "bypass_csp": True}


def serious_violations(page, axe_source):
    page.evaluate(axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_public_pages_have_no_serious_violations(live_server, page, axe_source, language):
    ModuleFactory()
    problems = {}
    for path in PAGES:
        page.goto(f"{live_server.url}/{language}{path}")
        found = serious_violations(page, axe_source)
        if found:
            problems[path] = found
    assert problems == {}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_account_pages_have_no_serious_violations(live_server, page, axe_source, language):
    from privacy.tests.factories import PASSWORD

    user = UserFactory()
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/{language}/")
    problems = {}
    for path in SIGNED_IN_PAGES:
        page.goto(f"{live_server.url}/{language}{path}")
        found = serious_violations(page, axe_source)
        if found:
            problems[path] = found
    assert problems == {}


def test_the_check_catches_a_real_violation(live_server, page, axe_source):
    """Control: the same check reports an unlabelled input and an image without text."""
    page.goto(f"{live_server.url}/en/")
    page.evaluate(
        "() => { const m = document.querySelector('main');"
        " m.insertAdjacentHTML('beforeend', '<input type=text><img src=/x.png>'); }"
    )
    found = serious_violations(page, axe_source)
    assert any(v.startswith("label ") for v in found), found
    assert any(v.startswith("image-alt ") for v in found), found
