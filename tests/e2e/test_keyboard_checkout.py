"""A customer buys memory with the keyboard alone, from the home page to the paid
order, and can always see where the focus is."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from privacy.tests.factories import UserFactory
from shop.models import Order, OrderStatus
from shop.tests.factories import ModuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 120
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute("name") || "",
    value: el.getAttribute("value") || "",
    href: el.getAttribute("href") || "",
    testid: el.dataset.testid || "",
    text: (el.innerText || "").trim(),
    visible: outline || style.boxShadow !== "none",
  };
}"""


def tab_to(page, wanted, *, backwards=False):
    """Press Tab (or Shift+Tab) until the focused element matches `wanted`, checking on
    the way that every focused element shows its focus."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUS)
        if focused is None:
            continue  # past the last element: the next Tab starts again at the top
        assert focused["visible"], f"focus is invisible on {focused}"
        if wanted(focused):
            return focused
        seen.append(focused["name"] or focused["href"] or focused["text"])
    raise AssertionError(f"{page.url}: Tab never reached the element; it went through {seen}")


def fill(page, name, text):
    tab_to(page, lambda f: f["name"] == name)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_checkout_with_the_keyboard_only(live_server, page, artifacts_dir):
    user = UserFactory()
    module = ModuleFactory(stock=5, price_pence=4599)
    session = Client()
    session.force_login(user)  # signed in already: the session cookie, no click
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/en/")  # the only navigation not made with the keyboard

    skip = tab_to(page, lambda f: True)
    assert skip["href"] == "#main"  # the first Tab reaches the skip link

    tab_to(page, lambda f: f["href"].endswith("/en/memory/"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/en/memory/")
    tab_to(page, lambda f: f["href"] == module.get_absolute_url())
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(str(module))

    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Add to basket")
    page.screenshot(path=artifacts_dir / "keyboard-checkout-module.png")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("basket-line")).to_have_count(1)

    tab_to(page, lambda f: f["testid"] == "checkout-link")
    page.keyboard.press("Enter")
    expect(page.locator(".privacy-notice").first).to_be_visible()
    fill(page, "name", "Ada Lovelace")
    fill(page, "line1", "12 St James's Square")
    fill(page, "city", "London")
    fill(page, "postcode", "SW1Y 4JH")
    tab_to(page, lambda f: f["name"] == "line1", backwards=True)  # Shift+Tab goes back too
    tab_to(page, lambda f: f["testid"] == "place-order")
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("pay")).to_be_visible()
    fill(page, "number", "4242 4242 4242 4242")
    fill(page, "expiry", "12/39")
    fill(page, "cvc", "123")
    tab_to(page, lambda f: f["testid"] == "pay")
    page.keyboard.press("Space")

    outcome = page.get_by_test_id("outcome")
    expect(outcome).to_have_text("Thank you, your order is paid")
    page.screenshot(path=artifacts_dir / "keyboard-checkout-paid.png", full_page=True)
    order = Order.objects.get(user=user)
    assert order.status == OrderStatus.PAID
    assert order.delivery_country == "GB"
