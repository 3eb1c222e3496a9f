"""The raw database, read as an inspector would: markers typed into every personal field
through the public surface, then every row of every table dumped (privacy.scan), before
closure, after closure and after the tax hold. Nothing here reads a model declaration
to decide where to look: the scan walks the tables the database reports.

It lives in the project's tests (not privacy/tests) because it drives the shop too, and
the privacy app never imports the shop."""

import datetime
import io
import re
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from privacy import registry
from privacy.consent.marketing import newsletter_send
from privacy.models import CacheEntry, ErasureReceipt, Newsletter, PrivacyRequest, User
from privacy.rights.requests import privacy_request_close
from privacy.scan import database_scan, receipt_disagreements
from shop.fulfilment.dispatch import order_deliver, order_dispatch
from shop.fulfilment.reviews.services import review_invitations_send
from shop.models import Order, SmsMessage
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import shown_prices

pytestmark = pytest.mark.django_db

PASSWORD = "Zq-raw-Scan-2026!"
START = datetime.datetime(2026, 2, 2, 10, 0, tzinfo=datetime.UTC)
IP = "203.0.113.77"
KEYED = "privacy.cache_keys.cache_key_make"
M = {
    "email": "zqmarker.ada@example.org",
    "first_name": "Zqfirstada",
    "last_name": "Zqlastlovelace",
    "phone": "+447911123461",
    "address_name": "Zqaddressbook Name",
    "address_line1": "17 Zqbookstreet",
    "address_city": "Zqbookcity",
    "delivery_name": "Zqdelivery Person",
    "delivery_line1": "42 Zqdeliverylane",
    "delivery_line2": "Zqflat Nine",
    "delivery_city": "Zqdeliverytown",
    "postcode": "ZQ9 7QZ",
    "tracking": "ZQTRACK774411",
    "symptoms": "Zqsymptoms memtest reports errors",
    "request_name": "Zqrequester Name",
    "request_message": "Zqprivacyofficer please tell me everything",
    "withdrawal_name": "Zqwithdrawing Customer",
    "ip": IP,
    "browser": "ZqBrowser/9.1 (inspector)",
}


def worker_run():
    """The production worker: runs what the queue holds (e-mails, text messages).
    Its connection clean-up would close the test's open transaction: kept open."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def link_in(pattern):
    for message in reversed(mail.outbox):
        match = re.search(pattern, message.body)
        if match:
            return match.group(1)
    raise AssertionError(f"no e-mail with {pattern}")


def lifecycle(client, capture):
    """A customer's life through the public surface, with markers in every field."""
    with capture(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": M["email"],
                "password1": PASSWORD,
                "password2": PASSWORD,
                "marketing-email": "on",
                "review-invitations": "on",
            },
        )
    assert response.status_code == 302, response.content
    worker_run()
    with capture(execute=True):
        assert client.post(link_in(r"https?://[^/\s]+(/\S*/confirm-email/\S+/)")).status_code == 302
    client.post(reverse("account_login"), {"login": M["email"], "password": PASSWORD})
    response = client.post(
        reverse("privacy:profile"),
        {"first_name": M["first_name"], "last_name": M["last_name"], "phone": M["phone"]},
    )
    assert response.status_code == 302, response.content
    response = client.post(
        reverse("shop:address-add"),
        {
            "name": M["address_name"],
            "line1": M["address_line1"],
            "line2": "",
            "city": M["address_city"],
            "postcode": M["postcode"],
            "country": "GB",
            "phone": M["phone"],
        },
    )
    assert response.status_code == 302, response.content

    module = ModuleFactory(price_pence=4999, stock=10)  # lifetime warranty
    client.post(reverse("shop:basket-add"), {"module": module.pk, "quantity": 1})
    with capture(execute=True):
        response = client.post(
            reverse("shop:checkout"),
            {
                "name": M["delivery_name"],
                "line1": M["delivery_line1"],
                "line2": M["delivery_line2"],
                "city": M["delivery_city"],
                "postcode": M["postcode"],
                "country": "GB",
                "phone": M["phone"],
                "delivery": "standard",
                **shown_prices(client),
            },
        )
    number = re.search(r"/checkout/(OT-[\w-]+)/pay/", response["Location"])[1]
    order = Order.objects.get(number=number)
    with capture(execute=True):
        start = client.get(reverse("shop:checkout-pay", kwargs={"number": number}))
        client.post(
            start["Location"], {"number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"}
        )
    order.refresh_from_db()
    assert order.status == "paid", order.status

    with capture(execute=True):  # staff
        order_dispatch(order=order, courier="dpd", tracking_number=M["tracking"])
    with capture(execute=True):
        order_deliver(order=order, source="staff")
    worker_run()
    assert SmsMessage.objects.filter(order=order).exists()

    line = order.lines.get()
    with capture(execute=True):
        response = client.post(
            reverse("shop:warranty-claim-open", args=[number, line.pk]),
            {"reason": "errors", "symptoms": M["symptoms"]},
        )
    assert response.status_code == 302, response.content

    with capture(execute=True):  # the withdrawal: its statement names the customer
        response = client.post(
            reverse("shop:withdrawal-start", args=[number]),
            {"name": M["withdrawal_name"], "email": M["email"], "lines": [line.pk]},
        )
    assert response.status_code == 302, response.content

    with capture(execute=True):
        response = client.post(
            reverse("privacy:contact"),
            {"kind": "access", "name": M["request_name"], "message": M["request_message"]},
        )
    assert response.status_code == 200
    privacy_request_close(privacy_request=PrivacyRequest.objects.get())

    newsletter = Newsletter.objects.create(
        subject_en="Zq news", body_en="New memory", subject_fr="Zq nouvelles", body_fr="Mémoire"
    )
    with capture(execute=True):
        assert newsletter_send(newsletter=newsletter) == 1
    assert client.get(reverse("privacy:export")).status_code == 200
    assert client.get(reverse("privacy:export-download")).status_code == 200
    worker_run()
    return order


def _close(client, capture):
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    with capture(execute=True):
        response = client.post(reverse("privacy:account-close"), {"confirm": "on"}, follow=True)
    assert response.status_code == 200, response.redirect_chain
    assert response.redirect_chain[-1][0] == reverse("privacy:account-closed"), (
        response.redirect_chain
    )
    code = re.search(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", response.text)[0]
    worker_run()
    return code


def _held_tables() -> set[str]:
    """What the registry says a closure keeps: held models and their history."""
    tables = set()
    for declaration in registry.declarations():
        if declaration.closure == registry.Closure.HOLD:
            tables.add(declaration.model._meta.db_table)
            if declaration.history_model is not None:
                tables.add(declaration.history_model._meta.db_table)
    return tables


def _client():
    return Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=M["browser"])


def test_markers_are_never_in_clear_and_all_go_by_the_end_of_the_hold(
    raw_settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client = _client()
    with time_machine.travel(START, tick=True):
        order = lifecycle(client, capture)
    with time_machine.travel(START + datetime.timedelta(days=16), tick=True):
        with capture(execute=True):
            assert review_invitations_send()["invited"] == 1
        worker_run()

        live = database_scan(markers=M.values())
        assert live.violations() == [], "\n".join(map(str, live.violations()))
        # What is in clear is on the privacy page, with its reason, in both languages.
        declared = {(f.table, f.column) for f in live.in_clear()}
        assert ("account_emailaddress", "email") in declared
        for language in ("en", "fr"):
            page = client.get(f"/{language}/privacy/").text
            with translation.override(language):
                reasons = {str(finding.reason) for finding in live.in_clear()}
            for reason in reasons:
                assert escape(reason) in page, (language, reason)
        with translation.override("en"):
            english = {str(finding.reason) for finding in live.in_clear()}
        assert not english & reasons, "the French page gives the reasons in French"
        # The scan sees the encrypted copies too (it is not blind).
        # (The security log too: erased at closure by its declaration, not a cascade.)
        assert {
            "shop_address",
            "shop_order",
            "shop_historicalorder",
            "privacy_user",
            "shop_smsmessage",
            "privacy_securityevent",
            "shop_warrantyclaim",
            "privacy_privacyrequest",
        } <= live.tables_with_findings()
        client.post(reverse("account_logout"))
        client.post(reverse("account_login"), {"login": M["email"], "password": PASSWORD})
        # The export holds every marker the database holds about the customer.
        export = client.get(reverse("privacy:export-download")).content.decode()
        held = {finding.found for finding in live.findings}
        assert sorted(marker for marker in held if marker not in export) == []
        code = _close(client, capture)

    after_closure = database_scan(markers=[*M.values(), code])
    assert after_closure.violations() == [], "\n".join(map(str, after_closure.violations()))
    outside = after_closure.outside(_held_tables())
    assert outside == [], "\n".join(map(str, outside))
    receipt = ErasureReceipt.objects.get()
    assert receipt_disagreements(receipt=receipt, report=after_closure) == []
    # The receipt counts what the database showed: one text message found and deleted
    # (through the order's owner, before the order was detached), one order kept.
    by_key = {(item["key"], item["outcome"]): item for item in receipt.outcomes}
    assert by_key[("shop.smsmessage", "delete")]["rows"] == 1
    assert by_key[("shop.smsmessage", "delete")]["remaining"] == 0
    assert by_key[("shop.reviewinvitation", "delete")]["rows"] == 1
    assert by_key[("shop.order", "keep")]["rows"] == 1
    assert Order.objects.filter(pk=order.pk, user=None).exists()

    with time_machine.travel(START + datetime.timedelta(days=365 * 8), tick=True):
        assert CacheEntry.objects.filter(expires__lt=timezone.now()).exists()
        call_command("retention", "--apply", verbosity=0, stdout=io.StringIO())
        # Expired cache rows (rate limits) went too.
        assert not CacheEntry.objects.filter(expires__lt=timezone.now()).exists()
    final = database_scan(markers=[*M.values(), code])
    assert final.findings == [], "\n".join(map(str, final.findings))
    assert not User.objects.filter(email=M["email"]).exists()
    assert not DBTaskResult.objects.exists()


# Controls: the same scan fails when the protected property is broken -----------------


def test_control_one_encrypted_column_written_in_clear_is_reported(
    raw_settings, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=True):
        lifecycle(_client(), django_capture_on_commit_callbacks)
    assert database_scan(markers=M.values()).violations() == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE shop_address SET phone = %s", [M["phone"].encode()])
    violations = database_scan(markers=M.values()).violations()
    assert [(f.table, f.column, f.found) for f in violations] == [
        ("shop_address", "phone", M["phone"])
    ]


def test_control_a_history_table_left_behind_at_closure_is_reported(
    raw_settings, django_capture_on_commit_callbacks, monkeypatch
):
    from shop.models import WarrantyClaim

    # An erasure that forgets the warranty claims" history table.
    history_model = registry.history_model
    monkeypatch.setattr(
        registry,
        "history_model",
        lambda model: None if model is WarrantyClaim else history_model(model),
    )
    client = _client()
    with time_machine.travel(START, tick=True):
        lifecycle(client, django_capture_on_commit_callbacks)
        code = _close(client, django_capture_on_commit_callbacks)
    outside = database_scan(markers=[*M.values(), code]).outside(_held_tables())
    assert {f.table for f in outside} == {"shop_historicalwarrantyclaim"}


def test_control_a_receipt_line_that_disagrees_with_the_database_is_reported(
    raw_settings, django_capture_on_commit_callbacks
):
    client = _client()
    with time_machine.travel(START, tick=True):
        lifecycle(client, django_capture_on_commit_callbacks)
        message = SmsMessage.objects.values("order_id", "kind", "to_number", "body").get()
        code = _close(client, django_capture_on_commit_callbacks)
    # A text message that survived the closure, as main's erasure let it.
    SmsMessage.objects.create(**message)
    report = database_scan(markers=[*M.values(), code])
    receipt = ErasureReceipt.objects.get()
    disagreements = receipt_disagreements(receipt=receipt, report=report)
    assert [line.key for line in disagreements] == ["shop.smsmessage"]


def test_control_cache_keys_without_the_keyed_hash_show_the_ip(raw_settings):
    raw_settings.CACHES = {
        **raw_settings.CACHES,
        "default": {**raw_settings.CACHES["default"], "KEY_FUNCTION": None},
    }
    client = _client()
    client.post(
        reverse("privacy:contact"),
        {"kind": "question", "email": M["email"], "message": M["request_message"]},
    )
    violations = database_scan(markers=[IP]).violations()
    assert {(f.table, f.column) for f in violations} == {("offtek_cache", "cache_key")}
    raw_settings.CACHES = {
        **raw_settings.CACHES,
        "default": {**raw_settings.CACHES["default"], "KEY_FUNCTION": KEYED},
    }
    client.post(
        reverse("privacy:contact"),
        {"kind": "question", "email": "other@example.org", "message": "another question"},
    )
    assert database_scan(markers=[IP]).violations() == violations  # the old row only
