"""An order held for review says so, with what happens next, on the order page and
in the e-mail, in English and French; the e-mail never calls it confirmed."""

import pytest
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.models import OrderStatus
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import CARD_SUCCESS, basket_add, checkout_place, simulator_pay

pytestmark = pytest.mark.django_db
CARD_ELEVATED_RISK = "4000 0000 0000 9235"


def _pay(client, mailoutbox, capture, *, language="en", card=CARD_ELEVATED_RISK):
    user = UserFactory(language=language)
    client.force_login(user)
    basket_add(client, ModuleFactory(stock=5))
    order = checkout_place(client)
    with capture(execute=True):
        simulator_pay(client, order, card)
    order.refresh_from_db()
    # The order's own e-mail (a paid order also gets its invoice, in an e-mail of its own).
    (email,) = [m for m in mailoutbox if order.number in m.subject and not m.attachments]
    return order, email


def test_held_order_email_and_pages_say_it_is_being_checked_in_english(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    order, email = _pay(client, mailoutbox, django_capture_on_commit_callbacks)

    assert order.status == OrderStatus.HELD_FOR_REVIEW
    assert "confirmed" not in email.subject.lower() and "being checked" in email.subject
    assert "confirmed" not in email.body.lower()
    assert "our team is checking the order" in email.body
    assert "we refund your payment in full" in email.body
    html = email.alternatives[0][0]
    assert "our team is checking the order" in html and "confirmed" not in html.lower()
    page = client.get(reverse("shop:order-detail", kwargs={"number": order.number}))
    assert 'data-testid="order-held"' in page.text
    assert "checking this order before we send it" in page.text
    done = client.get(reverse("shop:checkout-done", kwargs={"number": order.number}))
    assert "checking this order before we send it" in done.text
    assert "your order is paid" not in done.text


def test_held_order_messages_in_french(client, mailoutbox, django_capture_on_commit_callbacks):
    order, email = _pay(client, mailoutbox, django_capture_on_commit_callbacks, language="fr")

    assert email.subject.startswith("Commande Offtek") and "vérification" in email.subject
    assert "confirmée" not in email.body
    assert "notre équipe vérifie la commande" in email.body
    assert "nous vous remboursons intégralement" in email.body
    page = client.get(f"/fr/orders/{order.number}/")
    assert "Notre équipe vérifie cette commande" in page.text


def test_a_paid_order_still_gets_its_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    order, email = _pay(client, mailoutbox, django_capture_on_commit_callbacks, card=CARD_SUCCESS)
    assert order.status == OrderStatus.PAID
    assert "is confirmed" in email.subject
    assert "We have received your payment." in email.body
    page = client.get(reverse("shop:order-detail", kwargs={"number": order.number}))
    assert 'data-testid="order-held"' not in page.text
