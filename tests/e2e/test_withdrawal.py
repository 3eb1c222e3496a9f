"""The withdrawal function in Chromium, in English and French: a signed-in customer
presses "Withdraw from contract here" on the order's page, checks the statement and
confirms; a shopper who is not signed in starts from the footer, follows the e-mailed
link and confirms. Each gets the acknowledgement e-mail with the statement and the
date and time it was received."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from privacy.tests.factories import PASSWORD
from shop.models import Withdrawal
from shop.tests.factories_orders import delivered_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {
        "button": "Withdraw from contract here",
        "confirm": "Confirm withdrawal",
        "done": "Withdrawal received",
        "footer": "Withdraw from a contract",
        "send_link": "Send me the link",
        "sent": "we have sent a link",
        "received": "We received your withdrawal",
        "country": "GB",
    },
    "fr": {
        "button": "Se rétracter du contrat ici",
        "confirm": "Confirmer la rétractation",
        "done": "Rétractation reçue",
        "footer": "Se rétracter d’un contrat",
        "send_link": "M’envoyer le lien",
        "sent": "nous avons envoyé un lien",
        "received": "Nous avons reçu votre rétractation",
        "country": "FR",
    },
}


def order_for(lang):
    return delivered_order(
        user__language=lang,
        user__first_name="Ada",
        user__last_name="Lovelace",
        delivery_country=TEXT[lang]["country"],
        lines=((2500, 1), (1200, 2)),
    )


def confirm_statement(page, order, text):
    statement = page.get_by_test_id("withdrawal-statement")
    expect(statement).to_contain_text(order.number)
    expect(statement.locator("input[name=name]")).to_have_value("Ada Lovelace")
    expect(statement.locator("input[name=email]")).to_have_value(order.user.email)
    expect(statement.locator("input[name=lines]:checked")).to_have_count(2)
    assert not Withdrawal.objects.exists()  # nothing is recorded before the second button
    mail.outbox.clear()
    statement.get_by_role("button", name=text["confirm"]).click()
    expect(page.locator("h1")).to_have_text(text["done"])


def check_acknowledgement(page, text):
    withdrawal = Withdrawal.objects.get()
    expect(page.get_by_test_id("withdrawal-done")).to_contain_text(withdrawal.reference)
    message = mail.outbox[-1]
    assert text["received"] in message.body
    assert withdrawal.statement in message.body
    # The date and time of receipt, in the customer's time zone.
    assert re.search(r"\d{1,2} \w+ 20\d\d, \d\d:\d\d", message.body)
    return withdrawal


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_customer_withdraws_from_the_order_page(page, live_server, artifacts_dir, lang):
    order = order_for(lang)
    text = TEXT[lang]
    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    page.fill("input[name=login]", order.user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/{lang}/orders/{order.number}/")
    page.get_by_role("button", name=text["button"]).click()
    page.screenshot(path=str(artifacts_dir / f"withdrawal-statement-{lang}.png"), full_page=True)
    confirm_statement(page, order, text)
    withdrawal = check_acknowledgement(page, text)
    assert withdrawal.via_link is False and withdrawal.language == lang

    page.goto(f"{live_server.url}/{lang}/orders/{order.number}/")
    expect(page.get_by_test_id("withdrawals")).to_contain_text(withdrawal.reference)
    expect(page.get_by_role("button", name=text["button"])).to_have_count(0)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_guest_withdraws_from_the_footer(page, live_server, settings, artifacts_dir, lang):
    settings.SITE_URL = live_server.url
    order = order_for(lang)
    text = TEXT[lang]
    page.goto(f"{live_server.url}/{lang}/")
    page.get_by_test_id("footer-withdrawal").click()
    expect(page.locator("h1")).to_have_text(text["footer"])
    page.fill("input[name=number]", order.number)
    page.fill("input[name=email]", order.user.email)
    page.get_by_role("button", name=text["send_link"]).click()
    expect(page.get_by_test_id("withdrawal-link-sent")).to_contain_text(text["sent"])

    link = re.search(r"https?://\S+/withdraw/\S+/", mail.outbox[-1].body)[0]
    page.goto(link)
    confirm_statement(page, order, text)
    withdrawal = check_acknowledgement(page, text)
    assert withdrawal.via_link is True
    page.screenshot(path=str(artifacts_dir / f"withdrawal-done-{lang}.png"), full_page=True)
