"""Steps shared by the checkout tests, through the public surface (the test client)."""

import re

from django.urls import reverse

from shop.models import Order, Payment

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 St James's Square",
    "line2": "",
    "city": "London",
    "postcode": "SW1Y 4JH",
    "country": "GB",
    "phone": "",
    "delivery": "standard",
}
CARD_SUCCESS = "4242 4242 4242 4242"
CARD_CHALLENGE = "4000 0027 6000 3184"
CARD_CHALLENGE_THEN_FUNDS = "4000 0082 6000 3178"
CARD_INSUFFICIENT = "4000 0000 0000 9995"
CARD_DECLINED = "4000 0000 0000 0002"


def basket_add(client, module, quantity=1):
    return client.post(reverse("shop:basket-add"), {"module": module.pk, "quantity": quantity})


def shown_prices_in(page: str) -> dict:
    """The hidden fields of a checkout page: the currency and subtotal it shows, which
    the shopper's order confirms."""
    return dict(
        re.findall(r'<input type="hidden" name="(currency|shown_subtotal)" value="(\w+)"', page)
    )


def shown_prices(client) -> dict:
    return shown_prices_in(client.get(reverse("shop:checkout")).content.decode())


def checkout_place(client, **overrides) -> Order | None:
    """Fill in the checkout form as shown (its prices included) and place the order."""
    shown = shown_prices(client)
    response = client.post(reverse("shop:checkout"), {**ADDRESS, **shown, **overrides})
    match = re.search(r"/checkout/(OT-[\w-]+)/pay/", response.get("Location", ""))
    return Order.objects.get(number=match[1]) if match else None


def simulator_pay(client, order: Order, card: str, *, expiry="12/39", cvc="123"):
    """Start the payment, submit the simulator's card form; returns the response."""
    start = client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    payment = Payment.objects.filter(order=order).latest("pk")
    assert start.status_code == 302 and str(payment.pk) in start["Location"]
    return client.post(start["Location"], {"number": card, "expiry": expiry, "cvc": cvc})


def challenge_answer(client, order: Order, *, approve: bool):
    payment = Payment.objects.filter(order=order).latest("pk")
    url = reverse(
        "shop:simulator-challenge", kwargs={"number": order.number, "payment_id": payment.pk}
    )
    return client.post(url, {"decision": "approve" if approve else "fail"})
