"""Steps shared by the Stripe tests: an order awaiting a card payment, and webhook
events as Stripe signs and sends them."""

from shop.tests.stripe_fake import event_payload, sign

WEBHOOK = "/payments/stripe/webhook/"
SECRET = "whsec_test_offtek"


def post_event(
    client,
    kind,
    obj,
    *,
    event_id=None,
    secret=SECRET,
    timestamp=None,
    signature=None,
    previous=None,
):
    payload = event_payload(kind, obj, event_id=event_id, previous=previous)
    header = signature if signature is not None else sign(payload, secret, timestamp=timestamp)
    return client.post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def post_raw(client, payload: str, *, secret=SECRET):
    """A body signed correctly, whatever it holds."""
    return client.post(
        WEBHOOK,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret),
    )


def paid_by_webhook(client, fake, payment, card="pm_card_gb") -> dict:
    """The customer pays in the browser; Stripe sends payment_intent.succeeded."""
    intent = fake.confirm(payment.reference, card)
    response = post_event(client, "payment_intent.succeeded", intent)
    assert response.status_code == 200, response.content
    return intent
