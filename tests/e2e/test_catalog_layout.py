"""On a phone the first screen shows products, not the filter panel; on a wide screen
the filters stay open; the French header search shows its whole placeholder."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from shop.tests.french import french_catalogue_compiled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def catalog():
    call_command("load_demo_catalog", "--modules", "60", "--systems", "50", "--seed", "1")


def test_on_a_phone_products_come_before_the_filters(live_server, browser, catalog, artifacts_dir):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/memory/")
    first_product = page.locator(".module-list li").first
    expect(first_product).to_be_visible()
    assert first_product.bounding_box()["y"] < PHONE["height"], "a product on the first screen"
    expect(page.locator("#id_price_min")).to_be_hidden()
    page.screenshot(path=artifacts_dir / "catalog-phone.png")
    page.get_by_text("Filter", exact=True).click()
    expect(page.locator("#id_price_min")).to_be_visible()
    context.close()


def test_on_a_wide_screen_the_filters_are_open(live_server, browser, catalog):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/en/memory/")
    expect(page.locator("#id_price_min")).to_be_visible()
    expect(page.locator(".filters-details > summary")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_french_search_placeholder_is_not_cut_off(
    live_server, browser, catalog, settings, tmp_path, width
):
    french_catalogue_compiled(settings=settings, directory=tmp_path)
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/memory/")
    room, needed = page.locator("#site-search").evaluate(
        """input => {
          const style = getComputedStyle(input);
          const placeholder = getComputedStyle(input, "::placeholder");
          const context = document.createElement("canvas").getContext("2d");
          context.font = `${placeholder.fontSize} ${style.fontFamily}`;
          const room = input.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
          return [room, context.measureText(input.placeholder).width];
        }"""
    )
    assert needed <= room, f"{needed:.0f}px of placeholder in {room:.0f}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
    context.close()
