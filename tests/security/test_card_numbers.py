"""After real purchases in the browser, no card-like number is in any table or any log."""

import logging

import pytest
from playwright.sync_api import expect

from privacy.tests.factories import UserFactory
from shop.models import Module, Order, OrderStatus
from shop.tests.factories import ModuleFactory
from tests.e2e.test_purchase import TEXT, buy_until_card_form, pay_with_card, sign_in
from tests.security.card_scan import card_numbers_in, card_numbers_in_database, luhn_valid

CARDS = ["4000 0027 6000 3184", "4242 4242 4242 4242", "4000 0000 0000 0002"]


@pytest.fixture(autouse=True)
def _simulator(settings):
    settings.PAYMENT_GATEWAY = "simulator"


def test_luhn():
    assert all(luhn_valid(card.replace(" ", "")) for card in CARDS)
    assert not luhn_valid("4242424242424241")
    assert card_numbers_in("ref 4242-4242-4242-4242, phone 020 7946 0958") == ["4242424242424242"]
    assert card_numbers_in("order 12345678901234567890123 and 4242424242424241") == []


@pytest.mark.django_db
def test_the_database_scan_finds_a_planted_number():
    """The control: a card number stored in a plain column is found."""
    ModuleFactory(part_number="PN-4000002760003184")
    found = card_numbers_in_database()
    assert "4000002760003184" in found[Module._meta.db_table]  # its part number and slug
    assert set(found) <= {Module._meta.db_table, "shop_historicalmodule"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_card_number_is_kept_after_purchases(live_server, page, caplog):
    caplog.set_level(logging.DEBUG)
    base = live_server.url
    user = UserFactory()
    sign_in(page, base, user, "en")
    for card in CARDS:
        buy_until_card_form(page, base, "en", ModuleFactory(stock=5), quantity=1)
        pay_with_card(page, card)
        if card == CARDS[0]:
            page.get_by_role("button", name=TEXT["en"]["approve"]).click()
        expect(page.get_by_test_id("outcome")).to_be_visible()
    statuses = sorted(Order.objects.filter(user=user).values_list("status", flat=True))
    assert statuses == sorted([OrderStatus.PAID, OrderStatus.PAID, OrderStatus.CANCELLED])

    assert card_numbers_in_database() == {}
    assert card_numbers_in(caplog.text) == []
