"""A lifetime warranty kept at account closure serves the former customer: found by
order number and e-mail address through a link sent to that address, claimable, and
deletable by them or by staff on request; its claims are kept with it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from privacy import registry
from privacy.models import OutgoingEmail, SecurityEvent, SecurityEventKind
from privacy.rights.erasure import account_close
from privacy.rights.receipts import receipt_lines
from shop.fulfilment.dispatch import order_dispatch
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
    sent = "We have sent an e-mail to that address"
    assert wrong.text.count(sent) == right.text.count(sent) == 1
    assert [m.to for m in mail.outbox] == [["eve@example.org"], ["FORMER@example.org"]]
    assert "/warranty/kept/" not in mail.outbox[0].body
    assert "No warranty is kept for that order number" in mail.outbox[0].body
    assert "/warranty/kept/" in mail.outbox[1].body


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
    gone = client.get(link, follow=True)  # the link no longer opens anything
    assert "This link no longer opens a kept warranty." in gone.text


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


def test_asking_for_links_is_rate_limited_per_address_and_per_client(
    client, django_capture_on_commit_callbacks
):
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks, with_claim=False)
    mail.outbox.clear()
    answers = [
        ask_link(client, django_capture_on_commit_callbacks, order.number, "former@example.org")
        for _ in range(4)
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert "Too many links were asked for" in answers[-1].text
    assert len(mail.outbox) == 3  # one inbox gets at most three an hour
    french = ask_link(client, django_capture_on_commit_callbacks, "OT-1", "a@example.org", "fr")
    assert french.status_code == 200  # another address, the same client: still allowed
    for number in range(5):  # ten attempts from this client in all, refused ones too
        ask_link(client, django_capture_on_commit_callbacks, "OT-1", f"x{number}@example.org")
    refused = ask_link(client, django_capture_on_commit_callbacks, "OT-1", "y@example.org", "fr")
    assert refused.status_code == 429 and "Trop de liens ont été demandés" in refused.text
    assert len(mail.outbox) == 3 + 1 + 5
    elsewhere = Client(REMOTE_ADDR="192.0.2.8")  # control: another client, another address
    assert (
        ask_link(elsewhere, django_capture_on_commit_callbacks, "OT-1", "z@example.org").status_code
        == 200
    )


def test_a_match_and_a_miss_do_the_same_work_in_the_request(
    client, settings, django_capture_on_commit_callbacks
):
    """The e-mail is queued either way (written and sent by the worker): the request
    runs the same statements on the same tables, so its time tells nothing."""
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks, with_claim=False)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mail.outbox.clear()
    queued_before = OutgoingEmail.objects.filter(status="queued").count()
    statements = {}
    for case, email in (("match", "former@example.org"), ("miss", "eve@example.org")):
        # The task is queued as the request's writes commit (the test's transaction
        # never does: its callbacks run at the end of the request instead).
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post("/en/warranty/kept/", {"number": order.number, "email": email})
        assert response.status_code == 200
        statements[case] = [" ".join(query["sql"].split()[:3]) for query in queries]
    assert statements["match"] == statements["miss"]
    assert any("privacy_outgoingemail" in sql for sql in statements["miss"])
    queued = OutgoingEmail.objects.filter(status="queued").count() - queued_before
    assert queued == 2 and not mail.outbox  # queued, not sent
    assert DBTaskResult.objects.filter(task_path="privacy.tasks.email_deliver").count() == 2


def test_a_link_opens_once_and_only_in_the_browser_that_opened_it(
    client, django_capture_on_commit_callbacks
):
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks, with_claim=False)
    ask_link(client, django_capture_on_commit_callbacks, order.number, "former@example.org")
    link = link_from_outbox()
    opened_at = timezone.now()
    with time_machine.travel(opened_at, tick=False):
        assert client.get(link).status_code == 200
        other = Client()
        refused = other.get(link.replace("/en/", "/fr/"), follow=True)
        assert "Ce lien a déjà été utilisé : chaque lien ne s’ouvre qu’une fois." in refused.text
        assert order.number not in refused.text
    with time_machine.travel(opened_at + timedelta(minutes=20), tick=False):
        assert client.get(link).status_code == 200  # the same browser, a while later
    with time_machine.travel(opened_at + timedelta(minutes=31), tick=False):
        later = client.get(link, follow=True)
        assert "This link has been used already" in later.text
        ask_link(other, django_capture_on_commit_callbacks, order.number, "former@example.org")
        assert other.get(link_from_outbox()).status_code == 200  # a new link opens


def test_an_older_link_stops_opening_once_a_newer_one_is_used(
    client, django_capture_on_commit_callbacks
):
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks, with_claim=False)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ask_link(client, django_capture_on_commit_callbacks, order.number, "former@example.org")
        first = link_from_outbox()
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        ask_link(client, django_capture_on_commit_callbacks, order.number, "former@example.org")
        second = link_from_outbox()
        assert Client().get(second).status_code == 200
        assert "used already" in Client().get(first, follow=True).text


def test_a_link_expires_after_an_hour(client, django_capture_on_commit_callbacks):
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks, with_claim=False)
    ask_link(client, django_capture_on_commit_callbacks, order.number, "former@example.org")
    link = link_from_outbox()
    with time_machine.travel(timezone.now() + timedelta(minutes=61), tick=False):
        response = client.get(link, follow=True)
    assert "This link has expired: ask for a new one below." in response.text
    assert response.request["PATH_INFO"] == "/en/warranty/kept/"
    assert Order.objects.get(pk=order.pk).warranty_link_used_at is None


def test_the_page_gives_the_claim_rules_reason_for_a_line_it_cannot_claim(
    client, django_capture_on_commit_callbacks
):
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks, with_claim=True)
    ask_link(client, django_capture_on_commit_callbacks, order.number, "former@example.org")
    page = client.get(link_from_outbox())
    assert "A claim on this module is already in progress." in page.text
    assert f"kept-claim-form-{order.lines.get().pk}" not in page.text


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
            "remaining": 1,
            "minimised": ["symptoms"],
        }
    ]
    [line] = [
        line
        for line in receipt_lines(receipt=result.receipt)
        if str(line.title) == "Your warranty claims"
    ]
    assert "warranty" in str(line.reason).lower()  # the hold that keeps them, named


def test_a_field_to_minimise_must_exist_and_the_option_keeps_its_own_label():
    [option] = registry.closure_options()
    assert str(option.label) == "Keep my lifetime warranties"
    typo = registry.Kept(WarrantyClaim, "line__order", minimise={"sypmtoms": ""})
    with pytest.raises(ImproperlyConfigured, match="no field"):
        registry.closure_option(
            key="typo",
            model=Order,
            rows={},
            mark={},
            retention="lifetime-warranty",
            label="Keep",
            warning="",
            keeps=[typo],
        )
    assert [o.key for o in registry.closure_options()] == ["lifetime-warranty"]


def test_staff_still_honour_a_kept_claim_without_its_description(
    staff_client, django_capture_on_commit_callbacks
):
    order = closed_with_kept_warranty(django_capture_on_commit_callbacks)
    claim = WarrantyClaim.objects.get(line__order=order)
    assert (claim.symptoms, claim.reason, claim.status) == ("", "errors", "open")
    url = reverse("admin:shop_warrantyclaim_step", args=[claim.pk])
    page = staff_client.get(url)
    assert "removed when they closed their account" in page.text
    assert claim.line.part_number in page.text and "Memory errors or crashes" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"to": "approved", "note": "Post it to us"})
    claim.refresh_from_db()
    assert claim.status == "approved"
    assert mail.outbox[-1].to == ["former@example.org"]
