"""Every URL that names one customer's object answers 404 to another signed-in customer,
for GET and for POST, and changes nothing. The URL list comes from the resolver, so a new
URL with an object id or token fails here until it is covered."""

import pytest
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from privacy.consent import marketing
from privacy.models import ConsentRecord, PrivacyRequest, PrivacyRequestStatus
from privacy.rights import erasure
from privacy.tests.factories import ConsentRecordFactory
from shop.invoices.services import invoice_issue
from shop.models import (
    Address,
    BasketLine,
    DocumentFile,
    Order,
    OrderStatus,
    Payment,
    WarrantyClaim,
    Withdrawal,
)
from shop.tests.factories_orders import (
    AddressFactory,
    BasketLineFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    paid_order,
)

pytestmark = pytest.mark.django_db

# URL name -> the kwargs it takes from a customer's objects (see `owned_objects`).
OWNED = {
    "shop:address-edit",
    "shop:address-delete",
    "shop:basket-line-update",
    "shop:basket-line-remove",
    "shop:checkout-pay",
    "shop:checkout-return",
    "shop:checkout-done",
    "shop:checkout-rebasket",
    "shop:simulator-card",
    "shop:simulator-challenge",
    "shop:order-detail",
    "shop:warranty-claim-open",
    "shop:withdrawal-start",
    "shop:document-download",
}
# Signed links: the token is the only key, checked below with a forged one.
TOKEN_LINKS = {
    "privacy:contact-verify",
    "privacy:unsubscribe",
    "shop:kept-warranty-detail",
    "shop:withdrawal-link",
}
# Not one customer's object, each for the reason given.
NOT_OWNED = {
    "shop:module-detail": "public catalog page",
    "shop:system-detail": "public catalog page",
    "account_confirm_email": "allauth's signed e-mail key (tested by allauth)",
    "account_reset_password_from_key": "allauth's signed reset key (see test_log_secrets)",
}
# URLs that take no GET at all answer 405 to the owner too: a GET reveals nothing.
POST_ONLY = {
    "shop:address-delete",
    "shop:basket-line-update",
    "shop:basket-line-remove",
    "shop:checkout-rebasket",
    "shop:warranty-claim-open",
}


def patterns_with_kwargs(resolver=None, namespace=""):
    """(name, route) of every pattern outside the admin that captures a kwarg."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # staff only, with two-factor authentication
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns_with_kwargs(entry, inner)
        elif isinstance(entry, URLPattern) and entry.pattern.regex.groupindex:
            yield f"{namespace}{entry.name}", str(entry.pattern)


def test_every_url_with_an_object_key_is_covered():
    found = {name for name, _route in patterns_with_kwargs()}
    uncovered = found - OWNED - TOKEN_LINKS - set(NOT_OWNED)
    assert not uncovered, f"add these URLs to tests/security/test_ownership.py: {uncovered}"
    assert found >= OWNED | TOKEN_LINKS  # no stale names either


@pytest.fixture
def owned_objects(owner):
    """One of each kind of object the owner has, and the kwargs of every OWNED URL."""
    address = AddressFactory(user=owner)
    basket_line = BasketLineFactory(basket__user=owner, quantity=2)
    pending = OrderFactory(user=owner)
    OrderLineFactory(order=pending)
    payment = PaymentFactory(order=pending)
    paid = paid_order(user=owner)
    paid_line = paid.lines.get()
    invoice = invoice_issue(order=paid)
    DocumentFile.objects.create(document=invoice, pdf=b"%PDF-1.7 (not rendered in this test)")
    cancelled = OrderFactory(user=owner, status=OrderStatus.CANCELLED)
    OrderLineFactory(order=cancelled)
    kwargs = {
        "shop:address-edit": {"address_id": address.pk},
        "shop:address-delete": {"address_id": address.pk},
        "shop:basket-line-update": {"line_id": basket_line.pk},
        "shop:basket-line-remove": {"line_id": basket_line.pk},
        "shop:checkout-pay": {"number": pending.number},
        "shop:checkout-return": {"number": pending.number},
        "shop:checkout-done": {"number": pending.number},
        "shop:checkout-rebasket": {"number": cancelled.number},
        "shop:simulator-card": {"number": pending.number, "payment_id": payment.pk},
        "shop:simulator-challenge": {"number": pending.number, "payment_id": payment.pk},
        "shop:order-detail": {"number": paid.number},
        "shop:warranty-claim-open": {"number": paid.number, "line_id": paid_line.pk},
        "shop:withdrawal-start": {"number": paid.number},
        "shop:document-download": {"number": paid.number, "document": invoice.number},
    }
    return kwargs


def snapshot():
    """What any of those POSTs could change."""
    return (
        sorted(Address.objects.values_list("pk", "name", "line1")),
        sorted(BasketLine.objects.values_list("pk", "basket__user", "quantity")),
        sorted(Order.objects.values_list("pk", "status")),
        sorted(Payment.objects.values_list("pk", "status")),
        WarrantyClaim.objects.count(),
        Withdrawal.objects.count(),
    )


# Valid for whichever form the URL shows: address, quantity, card, 3-D Secure, claim.
POST_BODY = {
    "name": "Intruder",
    "line1": "1 Nowhere Street",
    "city": "Leeds",
    "postcode": "LS1 1AA",
    "country": "GB",
    "quantity": "5",
    "number": "4242 4242 4242 4242",
    "expiry": "12/39",
    "cvc": "123",
    "decision": "approve",
    "reason": "other",
    "symptoms": "It does not boot at all.",
    "email": "intruder@example.com",
    "lines": ["1", "2", "3"],
}


@pytest.mark.parametrize("name", sorted(OWNED))
def test_another_customer_gets_404(name, owned_objects, owner, intruder_client, client):
    url = reverse(name, kwargs=owned_objects[name])
    before = snapshot()

    assert intruder_client.get(url).status_code == (405 if name in POST_ONLY else 404)
    assert intruder_client.post(url, POST_BODY).status_code == 404
    assert snapshot() == before

    # The owner reaches the same URL: the 404 above is about ownership.
    client.force_login(owner)
    assert client.get(url).status_code in ((405,) if name in POST_ONLY else (200, 302))


def test_forged_privacy_request_link_is_refused(owner, intruder_client):
    request = PrivacyRequest.objects.create(
        reference="PR-2026-ABCDEF", kind="access", email="someone@example.com", language="en"
    )
    forged = signing.dumps(request.pk, salt="not-the-shop-salt")
    url = reverse("privacy:contact-verify", kwargs={"token": forged})

    for response in (intruder_client.get(url), intruder_client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == reverse("privacy:contact")
    request.refresh_from_db()
    assert request.status == PrivacyRequestStatus.UNVERIFIED


def test_forged_unsubscribe_link_is_refused(owner, intruder_client):
    consent = ConsentRecordFactory(user=owner)
    real = marketing.unsubscribe_token(consent=consent)
    forged = signing.dumps({"u": owner.pk, "c": consent.pk}, salt="not-the-shop-salt")
    assert forged != real
    url = reverse("privacy:unsubscribe", kwargs={"token": forged})

    assert intruder_client.get(url).status_code == 400
    assert intruder_client.post(url).status_code == 400
    assert list(ConsentRecord.objects.filter(user=owner).values_list("granted", flat=True)) == [
        True
    ]


def test_forged_kept_warranty_link_is_refused(owner, intruder_client):
    order = paid_order(user=None, warranty_kept=True, warranty_email="former@example.com")
    forged = signing.dumps({"o": order.pk}, salt="not-the-shop-salt")
    url = reverse("shop:kept-warranty-detail", kwargs={"token": forged})
    for response in (
        intruder_client.get(url),
        intruder_client.post(url, {"delete": "1", "confirm": "on"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == reverse("shop:kept-warranty")
    order.refresh_from_db()
    assert (order.warranty_kept, order.warranty_email) == (True, "former@example.com")


def test_forged_withdrawal_link_is_refused(owner, intruder_client):
    order = paid_order(user=owner)
    forged = signing.dumps({"o": order.pk, "w": 0}, salt="not-the-shop-salt")
    url = reverse("shop:withdrawal-link", kwargs={"token": forged})
    body = {**POST_BODY, "lines": [str(order.lines.get().pk)]}
    for response in (intruder_client.get(url), intruder_client.post(url, body)):
        assert response.status_code == 400
        assert order.number not in response.text
    assert not Withdrawal.objects.exists()


def test_data_export_holds_only_the_askers_data(owner, intruder_client):
    AddressFactory(user=owner, line1="7 Owner Lane")
    paid = paid_order(user=owner)
    for name in ("privacy:export", "privacy:export-download"):
        response = intruder_client.get(reverse(name))
        assert response.status_code == 200
        body = response.content.decode()
        assert owner.email not in body
        assert "7 Owner Lane" not in body
        assert paid.number not in body


def test_erasure_receipt_is_shown_only_to_the_session_that_closed(owner, intruder_client):
    erasure.account_close(user=owner, keep=frozenset(), request=None)
    response = intruder_client.get(reverse("privacy:account-closed"))
    assert response.status_code == 302  # no receipt in this session: nothing to show
