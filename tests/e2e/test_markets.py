"""A shopper in France buys in euros, as they see it in Chromium: through the header's
market control, or by giving a French address on a page in pounds."""

import re

import pytest
from playwright.sync_api import expect

from privacy.tests.factories import PASSWORD, UserFactory
from shop.models import Order, OrderStatus
from shop.tests.factories import ModuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, user):
    page.goto(f"{base}/en/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def fill_french_address(page):
    page.fill("input[name=name]", "Marie Curie")
    page.fill("input[name=line1]", "11 rue Pierre et Marie Curie")
    page.fill("input[name=city]", "Paris")
    page.fill("input[name=postcode]", "75005")
    page.select_option("select[name=country]", "FR")


def pay_and_see_the_order(page, user, artifacts_dir, name):
    expect(page).to_have_url(re.compile(r"/simulator/\d+/$"))
    expect(page.get_by_test_id("pay")).to_contain_text("€")
    page.fill("input[name=number]", "4242 4242 4242 4242")
    page.fill("input[name=expiry]", "12/39")
    page.fill("input[name=cvc]", "123")
    page.get_by_test_id("pay").click()
    expect(page.get_by_test_id("outcome")).to_have_attribute("data-status", "paid")
    order = Order.objects.get(user=user)
    page.goto(page.url.split("/checkout/")[0] + f"/orders/{order.number}/")
    page.screenshot(path=artifacts_dir / f"{name}.png", full_page=True)
    return order


def test_a_shopper_in_france_chooses_euros_in_the_header_and_pays_in_euros(
    live_server, page, artifacts_dir
):
    user = UserFactory(language="en")
    module = ModuleFactory(stock=5, price_pence=2999, price_eur_cents=3499)
    base = live_server.url
    sign_in(page, base, user)

    page.goto(base + module.get_absolute_url())
    expect(page.locator(".module-detail .price")).to_have_text("£29.99")
    page.get_by_test_id("market-FR").click()
    expect(page.locator(".messages")).to_contain_text(
        "Prices are now shown in euros for delivery to France."
    )
    expect(page.locator(".module-detail .price")).to_have_text("€34.99")
    expect(page.get_by_test_id("market-FR")).to_have_attribute("aria-current", "true")
    page.get_by_role("button", name="Add to basket").click()
    expect(page.get_by_test_id("basket-subtotal")).to_have_text("€34.99")

    page.get_by_test_id("checkout-link").click()
    expect(page.get_by_test_id("delivery-standard")).to_contain_text("€9.99")
    fill_french_address(page)
    page.get_by_test_id("place-order").click()
    order = pay_and_see_the_order(page, user, artifacts_dir, "market-fr-header-order")

    assert (order.status, order.currency, order.total_pence) == (OrderStatus.PAID, "EUR", 4498)
    expect(page.get_by_test_id("order-total")).to_have_text("€44.98")
    expect(page.locator("main")).not_to_contain_text("£")


def test_a_french_address_on_a_page_in_pounds_is_re_priced_before_payment(
    live_server, page, artifacts_dir
):
    user = UserFactory(language="fr")
    module = ModuleFactory(stock=5, price_pence=4599, price_eur_cents=5299)
    base = live_server.url
    sign_in(page, base, user)
    page.goto(base + module.get_absolute_url())  # /en/: the UK, in pounds
    page.get_by_role("button", name="Add to basket").click()
    expect(page.get_by_test_id("basket-subtotal")).to_have_text("£45.99")

    page.get_by_test_id("checkout-link").click()
    fill_french_address(page)
    page.get_by_test_id("place-order").click()

    # Not yet paid: the same page, now in euros, says why, with the address kept.
    expect(page.locator(".messages")).to_contain_text(
        "Prices are now shown in euros for delivery to France."
    )
    expect(page.locator(".order-summary")).to_contain_text("€52.99")
    expect(page.locator("input[name=city]")).to_have_value("Paris")
    assert not Order.objects.exists()
    page.screenshot(path=artifacts_dir / "market-fr-re-priced.png", full_page=True)
    page.get_by_test_id("place-order").click()
    order = pay_and_see_the_order(page, user, artifacts_dir, "market-fr-re-priced-order")

    assert (order.currency, order.total_pence) == ("EUR", 5299)  # free delivery from 50 €
    expect(page.get_by_test_id("order-total")).to_have_text("€52.99")
