"""A lifetime warranty kept at account closure serves the former customer: found by
order number and e-mail address through a link sent to that address, claimable, and
deletable by them or by staff on request; its claims are kept with it."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from privacy.models import SecurityEvent, SecurityEventKind
from privacy.rights.erasure import account_close
from privacy.rights.receipts import receipt_lines
from shop.fulfilment.dispatch import order_dispatch
from shop.fulfilment.warranty.kept import kept_order_from_link
from shop.fulfilment.warranty.services import claim_open
from shop.models import Order, WarrantyClaim
from shop.tests.factories_orders import paid_order

pytestmark = pytest.mark.django_db
SYMPTOMS = "Zqkept memtest errors in bank 2"


def closed_with_kept_warranty(capture, *, with_claim=True):
    order = paid_order(user__email="former@example.org", delivery_name="Ada Kept")
    order_dispatch(order=order, courier="dpd", tracking_number="T1")
    if with_claim:
        claim_open(user=order.user, line=order.lines.get(), reason="errors", symptoms="Before")
    with capture(execute=True):
        account_close(user=order.user, keep=frozenset({"lifetime-warranty"}))
    order.refresh_from_db()
    return order


def link_from_outbox():
    match = re.search(r"https?://[^/\s]+(/\S*/warranty/kept/\S+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def ask_link(client, capture, number, email, language="en"):
    with capture(execute=True):
        return client.post(f"/{language}/warranty/kept/", {"number": number, "email": email})


def test_closure_keeps_the_claims_with_the_kept_warranty(django_capture_on_commit_callbacks):
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks)
    assert (order.user_id, order.warranty_kept, order.warranty_email) == (
        None,
        True,
        "former@example.org",
    )
    claim = WarrantyClaim.objects.get(line__order=order)
    assert claim.user_id is None
    assert not WarrantyClaim.history.filter(id=claim.pk).exclude(user=None).exists()


def test_a_former_customer_gets_a_link_only_for_the_right_address(
    client, django_capture_on_commit_callbacks
):
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    wrong = ask_link(client, django_capture_on_commit_callbacks, order.number, "eve@example.org")
    right = ask_link(client, django_capture_on_commit_callbacks, order.number, "FORMER@example.org")
    assert wrong.status_code == right.status_code == 200
    assert wrong.text.count("we have sent a link") == right.text.count("we have sent a link") == 1
    assert [m.to for m in mail.outbox] == [["former@example.org"]]


@pytest.mark.parametrize(
    "bad", [{"number": "", "email": "x"}, {"number": "OT-1", "email": "not-an-address"}, {}]
)
def test_bad_input_is_refused_with_errors(client, bad):
    response = client.post("/fr/warranty/kept/", bad)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not mail.outbox


def test_a_former_customer_claims_then_deletes_with_the_link(
    client, django_capture_on_commit_callbacks
):
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks, with_claim=False)
    ask_link(client, django_capture_on_commit_callbacks, order.number, "former@example.org")
    link = link_from_outbox()
    page = client.get(link)
    assert page.status_code == 200 and order.number in page.text
    line = order.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"line": line.pk, "reason": "errors", "symptoms": SYMPTOMS})
    assert response.status_code == 302
    claim = WarrantyClaim.objects.get(line=line)
    assert (claim.user_id, claim.symptoms) == (None, SYMPTOMS)
    assert mail.outbox[-1].to == ["former@example.org"] and claim.number in mail.outbox[-1].subject

    refused = client.post(link, {"delete": "1"})  # not confirmed
    assert refused.status_code == 400
    assert Order.objects.get(pk=order.pk).warranty_kept
    response = client.post(link, {"delete": "1", "confirm": "on"})
    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.warranty_kept, order.warranty_email) == (False, "")
    assert not WarrantyClaim.objects.filter(line__order=order).exists()
    assert not WarrantyClaim.history.filter(id=claim.pk).exists()
    assert kept_order_from_link(token=link.rstrip("/").rsplit("/", 1)[1]) is None
    assert client.get(link).status_code == 302  # the link no longer opens anything


def test_a_forged_link_opens_nothing(client):
    response = client.get(reverse("shop:kept-warranty-detail", kwargs={"token": "forged"}))
    assert response.status_code == 302
    assert response["Location"] == reverse("shop:kept-warranty")


def test_staff_delete_a_kept_warranty_from_the_admin_and_the_log_records_it(
    staff_client, django_capture_on_commit_callbacks
):
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks)
    response = staff_client.post(
        reverse("admin:shop_order_changelist"),
        {"action": "kept_warranty_delete_action", "_selected_action": [order.pk]},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert not order.warranty_kept and not order.warranty_email
    assert not WarrantyClaim.objects.filter(line__order=order).exists()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.STAFF_VIEW)
    assert f"order {order.pk}" in event.detail
    assert event.actor_id == staff_client.staff.pk


def test_the_receipt_has_one_line_for_the_kept_claims_naming_their_hold(
    django_capture_on_commit_callbacks,
):
    order = paid_order(user__email="former@example.org")
    order_dispatch(order=order, courier="dpd", tracking_number="T1")
    claim_open(user=order.user, line=order.lines.get(), reason="errors", symptoms="Before")
    result = account_close(user=order.user, keep=frozenset({"lifetime-warranty"}))
    claims = [o for o in result.receipt.outcomes if o["key"] == "shop.warrantyclaim"]
    assert claims == [
        {
            "key": "shop.warrantyclaim",
            "outcome": "keep",
            "until": None,
            "retention": "lifetime-warranty",
            "rows": WarrantyClaim.objects.filter(line__order=order).count(),
        }
    ]
    [line] = [
        line
        for line in receipt_lines(receipt=result.receipt)
        if str(line.title) == "Your warranty claims"
    ]
    assert "warranty" in str(line.reason).lower()  # the hold that keeps them, named
