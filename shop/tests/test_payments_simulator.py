import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.models import Order, OrderStatus, Payment, PaymentStatus
from shop.payments.forms import SimulatorCardForm
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import (
    CARD_CHALLENGE,
    CARD_CHALLENGE_THEN_FUNDS,
    CARD_DECLINED,
    CARD_INSUFFICIENT,
    CARD_SUCCESS,
    basket_add,
    challenge_answer,
    checkout_place,
    simulator_pay,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(client):
    """A signed-in customer with an order for 2 of a module (stock 5 -> 3)."""
    user = UserFactory()
    client.force_login(user)
    module = ModuleFactory(stock=5, price_pence=3000)
    basket_add(client, module, 2)
    order = checkout_place(client)
    return order, module


def test_frictionless_card_pays_the_order_and_sends_one_email(
    client, placed, mailoutbox, django_capture_on_commit_callbacks
):
    order, module = placed
    with django_capture_on_commit_callbacks(execute=True):
        response = simulator_pay(client, order, CARD_SUCCESS)

    order.refresh_from_db()
    assert response["Location"] == reverse("shop:checkout-done", kwargs={"number": order.number})
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    payment = order.payments.get()
    assert (payment.status, payment.card_brand, payment.card_last4) == ("succeeded", "Visa", "4242")
    assert len(mailoutbox) == 2  # the confirmation, then the invoice with its PDF
    assert "invoice" in mailoutbox[1].subject
    assert order.number in mailoutbox[0].subject
    assert mailoutbox[0].alternatives[0].mimetype == "text/html"
    assert "SW1Y" not in mailoutbox[0].body  # no address in the e-mail
    page = client.get(response["Location"])
    assert "Thank you, your order is paid" in page.text


def test_challenge_approved_pays(client, placed):
    order, _module = placed
    response = simulator_pay(client, order, CARD_CHALLENGE)
    assert "/3ds/" in response["Location"]
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.payments.get().status == PaymentStatus.REQUIRES_ACTION
    page = client.get(response["Location"])
    assert "Test gateway." in page.text

    challenge_answer(client, order, approve=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_challenge_failed_cancels_and_releases_stock(client, placed):
    order, module = placed
    simulator_pay(client, order, CARD_CHALLENGE)

    response = challenge_answer(client, order, approve=False)

    order.refresh_from_db()
    module.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert module.stock == 5
    assert "authentication failed" in client.get(response["Location"]).text


def test_after_a_failed_payment_the_modules_go_back_into_the_basket(client, placed):
    order, module = placed
    simulator_pay(client, order, CARD_DECLINED)
    client.post(reverse("shop:checkout-rebasket", kwargs={"number": order.number}))
    new_order = checkout_place(client)
    assert new_order.lines.get().quantity == 2
    module.refresh_from_db()
    assert module.stock == 3


def test_challenge_then_insufficient_funds(client, placed):
    order, module = placed
    simulator_pay(client, order, CARD_CHALLENGE_THEN_FUNDS)
    challenge_answer(client, order, approve=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert "insufficient funds" in order.payments.get().failure_message


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (CARD_INSUFFICIENT, "insufficient funds"),
        (CARD_DECLINED, "Your card was declined."),
        ("5555 5555 5555 4444", "accepts only Stripe"),
    ],
)
def test_declined_cards_cancel_the_order_with_a_clear_message(client, placed, card, message):
    order, module = placed
    response = simulator_pay(client, order, card)
    order.refresh_from_db()
    module.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert module.stock == 5
    assert message in client.get(response["Location"]).text


def test_the_browser_returning_alone_changes_nothing(client, placed):
    order, _module = placed
    simulator_pay(client, order, CARD_CHALLENGE)
    client.get(reverse("shop:checkout-return", kwargs={"number": order.number}))
    client.get(reverse("shop:checkout-done", kwargs={"number": order.number}))
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_simulator_keeps_and_logs_no_card_number(client, placed, caplog):
    order, _module = placed
    with caplog.at_level(logging.DEBUG):
        simulator_pay(client, order, CARD_SUCCESS)
    payment = Payment.objects.get(order=order)
    stored = " ".join(str(getattr(payment, f.attname)) for f in Payment._meta.concrete_fields)
    assert "4242424242424242" not in stored and "424242" not in stored
    assert "4242424242424242" not in caplog.text


def test_card_form_page_never_echoes_the_number(client, placed):
    order, _module = placed
    response = simulator_pay(client, order, "4242 4242 4242 4241", cvc="12")
    assert response.status_code == 200
    assert "4242 4242 4242 4241" not in response.text
    assert "This card number is not valid" in response.text
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING_PAYMENT


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"number": "4242 4242 4242 4241"}, "number", "not valid"),
        ({"number": "4242"}, "number", "12 to 19 digits"),
        ({"expiry": "01/20"}, "expiry", "expired"),
        ({"expiry": "13/40"}, "expiry", "between 01 and 12"),
        ({"expiry": "soon"}, "expiry", "MM/YY"),
        ({"cvc": "1"}, "cvc", "3 or 4 digits"),
    ],
)
def test_card_form_validation(data, field, fragment):
    form = SimulatorCardForm({"number": CARD_SUCCESS, "expiry": "12/39", "cvc": "123", **data})
    assert not form.is_valid()
    assert fragment in form.errors[field][0]


def test_card_form_errors_are_translated():
    from django.utils import translation

    with translation.override("fr"):
        form = SimulatorCardForm({"number": "4242 4242 4242 4241", "expiry": "01/20", "cvc": "1"})
        assert not form.is_valid()
        assert "Ce numéro de carte n’est pas valide" in form.errors["number"][0]
        assert "Cette carte a expiré." in form.errors["expiry"][0]


def test_paying_an_already_paid_order_is_refused(client, placed):
    order, module = placed
    simulator_pay(client, order, CARD_SUCCESS)
    payment = order.payments.get()

    again = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    card_again = client.post(
        reverse("shop:simulator-card", kwargs={"number": order.number, "payment_id": payment.pk}),
        {"number": CARD_SUCCESS, "expiry": "12/39", "cvc": "123"},
    )

    assert again["Location"].endswith(f"/checkout/{order.number}/done/")
    assert card_again["Location"].endswith(f"/checkout/{order.number}/done/")
    assert order.payments.count() == 1
    module.refresh_from_db()
    assert module.stock == 3


def test_another_customers_order_and_payment_pages_are_404(client, placed):
    order, _module = placed
    simulator_pay(client, order, CARD_CHALLENGE)
    payment = order.payments.get()
    client.force_login(UserFactory())
    urls = [
        reverse("shop:checkout-pay", kwargs={"number": order.number}),
        reverse("shop:checkout-done", kwargs={"number": order.number}),
        reverse("shop:checkout-return", kwargs={"number": order.number}),
        reverse("shop:order-detail", kwargs={"number": order.number}),
        reverse("shop:simulator-card", kwargs={"number": order.number, "payment_id": payment.pk}),
        reverse(
            "shop:simulator-challenge", kwargs={"number": order.number, "payment_id": payment.pk}
        ),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[-1], {"decision": "approve"}).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_deploy_check_fails_with_the_simulator_and_debug_off(settings):
    from django.core.management.base import SystemCheckError

    settings.DEBUG = False
    settings.PAYMENT_GATEWAY = "simulator"
    with pytest.raises(SystemCheckError, match="shop.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_deploy_check_accepts_the_simulator_on_a_declared_test_shop(settings):
    """The same rule as production's start-up refusal (offtek.fail_closed): a staging
    or demo site that says it takes no money may run the simulator."""
    from shop.payments.checks import simulator_not_in_production

    settings.DEBUG = False
    settings.PAYMENT_GATEWAY = "simulator"
    settings.TEST_SHOP = True
    assert simulator_not_in_production() == []
    settings.TEST_SHOP = False
    assert "PAYMENT_GATEWAY is 'simulator'" in simulator_not_in_production()[0].msg


def test_deploy_check_passes_the_gateway_rule_with_stripe(settings):
    from shop.payments.checks import simulator_not_in_production

    settings.DEBUG = False
    settings.PAYMENT_GATEWAY = "stripe"
    assert simulator_not_in_production() == []


def test_simulator_pages_load_no_stripe_script_and_only_nonced_scripts(client, placed):
    order, _module = placed
    start = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    page = client.get(start["Location"])
    assert "js.stripe.com" not in page.text
    assert "js.stripe.com" not in page["Content-Security-Policy"]
    scripts = [line for line in page.text.splitlines() if "<script" in line]
    assert scripts and all('nonce="' in line and 'src="' in line for line in scripts)
    assert " onclick=" not in page.text and " onsubmit=" not in page.text


def test_leaving_the_challenge_and_paying_again_returns_to_the_challenge(client, placed):
    order, _module = placed
    simulator_pay(client, order, CARD_CHALLENGE)
    again = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    assert again["Location"].endswith("/3ds/")
    challenge_answer(client, order, approve=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.payments.count() == 1


def test_card_form_sent_twice_for_a_challenge_card_leads_to_the_challenge(client, placed):
    """A double click on "Pay" with a 3-D Secure card: whichever answer the browser
    shows, it leads to the challenge, not to "We are waiting for your payment"."""
    order, _module = placed
    first = simulator_pay(client, order, CARD_CHALLENGE)
    payment = order.payments.get()

    second = client.post(
        reverse("shop:simulator-card", kwargs={"number": order.number, "payment_id": payment.pk}),
        {"number": CARD_CHALLENGE, "expiry": "12/39", "cvc": "123"},
    )

    assert first["Location"].endswith("/3ds/")
    assert second["Location"] == first["Location"]
    assert order.payments.count() == 1
