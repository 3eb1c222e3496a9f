"""A new customer buys memory through the simulator, as a shopper sees it."""

import re

import pytest
from playwright.sync_api import expect

from privacy.tests.factories import PASSWORD, UserFactory
from shop.models import Module, Order, OrderStatus
from shop.tests.factories import ModuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {
        "sign_in": "Sign In",
        "add": "Add to basket",
        "check_out": "Check out",
        "continue": "Continue to payment",
        "approve": "Approve",
        "fail": "Fail authentication",
        "paid": "Thank you, your order is paid",
        "failed": "Your payment did not go through",
    },
    "fr": {
        "sign_in": "Connexion",
        "add": "Ajouter au panier",
        "check_out": "Commander",
        "continue": "Passer au paiement",
        "approve": "Approuver",
        "fail": "Faire échouer l’authentification",
        "paid": "Merci, votre commande est payée",
        "failed": "Votre paiement n’a pas abouti",
    },
}


def sign_in(page, base, user, lang):
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def buy_until_card_form(page, base, lang, module, quantity=2):
    text = TEXT[lang]
    page.goto(f"{base}/{lang}/basket/")
    page.fill("input[name=part_number]", module.part_number)
    page.fill("input[name=quantity]", str(quantity))
    page.get_by_role("button", name=text["add"]).click()
    expect(page.get_by_test_id("basket-line")).to_have_count(1)
    expect(page.locator(".basket-count")).to_have_text(str(quantity))
    page.get_by_test_id("checkout-link").click()
    expect(page.locator(".privacy-notice").first).to_be_visible()
    page.fill("input[name=name]", "Ada Lovelace")
    page.fill("input[name=line1]", "12 St James's Square")
    page.fill("input[name=city]", "London" if lang == "en" else "Paris")
    page.fill("input[name=postcode]", "SW1Y 4JH" if lang == "en" else "75001")
    page.select_option("select[name=country]", "GB" if lang == "en" else "FR")
    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(re.compile(r"/simulator/\d+/$"))


def pay_with_card(page, number):
    page.fill("input[name=number]", number)
    page.fill("input[name=expiry]", "12/39")
    page.fill("input[name=cvc]", "123")
    page.get_by_test_id("pay").click()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_purchase_with_3ds_challenge_approved(live_server, page, artifacts_dir, lang):
    user = UserFactory(language=lang)
    module = ModuleFactory(stock=5, price_pence=4599, price_eur_cents=5299)
    base = live_server.url

    sign_in(page, base, user, lang)
    buy_until_card_form(page, base, lang, module)
    expect(page.locator(".test-gateway-label")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"purchase-{lang}-card.png", full_page=True)
    pay_with_card(page, "4000 0027 6000 3184")

    expect(page).to_have_url(re.compile(r"/3ds/$"))
    page.screenshot(path=artifacts_dir / f"purchase-{lang}-3ds.png", full_page=True)
    page.get_by_role("button", name=TEXT[lang]["approve"]).click()

    outcome = page.get_by_test_id("outcome")
    expect(outcome).to_have_text(TEXT[lang]["paid"])
    expect(outcome).to_have_attribute("data-status", "paid")
    page.screenshot(path=artifacts_dir / f"purchase-{lang}-paid.png", full_page=True)
    order = Order.objects.get(user=user)
    assert order.status == OrderStatus.PAID
    # /fr/ shows France's prices in euros; free delivery from £50 or 50 €.
    assert (order.currency, order.total_pence) == (
        ("GBP", 2 * 4599) if lang == "en" else ("EUR", 2 * 5299)
    )
    assert order.delivery_country == ("GB" if lang == "en" else "FR")
    assert Module.objects.get(pk=module.pk).stock == 3
    total = "£91.98" if lang == "en" else "105,98\u00a0€"  # French writes the symbol after
    expect(page.get_by_test_id("order-total")).to_have_text(total)


def test_failed_challenge_cancels_the_order(live_server, page, artifacts_dir):
    user = UserFactory()
    module = ModuleFactory(stock=5)
    sign_in(page, live_server.url, user, "en")
    buy_until_card_form(page, live_server.url, "en", module)
    pay_with_card(page, "4000 0027 6000 3184")
    page.get_by_role("button", name=TEXT["en"]["fail"]).click()

    outcome = page.get_by_test_id("outcome")
    expect(outcome).to_have_text(TEXT["en"]["failed"])
    expect(page.locator("main")).to_contain_text("3-D Secure authentication failed")
    page.screenshot(path=artifacts_dir / "purchase-en-3ds-failed.png", full_page=True)
    assert Order.objects.get(user=user).status == OrderStatus.CANCELLED
    assert Module.objects.get(pk=module.pk).stock == 5


def test_declined_card_cancels_the_order(live_server, page, artifacts_dir):
    user = UserFactory()
    module = ModuleFactory(stock=5)
    sign_in(page, live_server.url, user, "en")
    buy_until_card_form(page, live_server.url, "en", module)
    pay_with_card(page, "4000 0000 0000 0002")

    expect(page.get_by_test_id("outcome")).to_have_attribute("data-status", "cancelled")
    expect(page.locator("main")).to_contain_text("Your card was declined.")
    page.screenshot(path=artifacts_dir / "purchase-en-declined.png", full_page=True)
    assert Order.objects.get(user=user).status == OrderStatus.CANCELLED
    assert Module.objects.get(pk=module.pk).stock == 5
