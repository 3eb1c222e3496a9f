"""Dispatch with e-mail and text message, delivery, couriers' updates, SMS retries."""

import datetime
import json
import time

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from privacy.models import Disclosure
from shop.fulfilment.courier import courier_signature
from shop.fulfilment.dispatch import (
    DispatchError,
    order_dispatch,
    order_dispatch_refusal,
)
from shop.fulfilment.sms.base import SmsError
from shop.fulfilment.sms.http import HttpSmsBackend
from shop.fulfilment.sms.memory import MemorySmsBackend
from shop.fulfilment.sms.services import sms_attempt
from shop.models import OrderStatus, SmsMessage, SmsStatus
from shop.orders.selectors import order_language
from shop.orders.services import IllegalTransition, order_transition
from shop.tests.factories_orders import paid_order
from shop.tests.provider_fake import provider_serving

pytestmark = pytest.mark.django_db
S = OrderStatus


def dispatch(order, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return order_dispatch(
            order=order, courier=kwargs.get("courier", "dpd"), tracking_number="DPD0001"
        )


def test_dispatch_records_courier_and_tracking_and_emails_and_texts_the_customer(
    django_capture_on_commit_callbacks,
):
    order = paid_order(delivery_phone="+447700900123")
    assert dispatch(order, django_capture_on_commit_callbacks) is True
    order.refresh_from_db()
    assert (order.status, order.courier, order.tracking_number) == (S.DISPATCHED, "dpd", "DPD0001")
    assert order.dispatched_at is not None
    [email] = mail.outbox
    assert email.to == [order.user.email]
    assert "DPD0001" in email.body and order.number in email.subject
    [sms] = MemorySmsBackend.outbox
    assert sms.to == "+447700900123"
    assert "DPD0001" in sms.body and order.number in sms.body
    assert SmsMessage.objects.get(order=order).status == SmsStatus.SENT


def test_dispatch_records_the_disclosure_to_the_courier():
    with_phone, without_phone = paid_order(delivery_phone="+447700900123"), paid_order()
    for order in (with_phone, without_phone):
        order_dispatch(order=order, courier="dpd", tracking_number="T1")
    disclosures = {d.reference: d for d in Disclosure.objects.filter(processor="couriers")}
    assert disclosures[with_phone.number].fields == ["name", "delivery address", "phone"]
    assert disclosures[without_phone.number].fields == ["name", "delivery address"]
    assert disclosures[with_phone.number].user == with_phone.user


def test_dispatch_messages_are_in_the_customers_language(django_capture_on_commit_callbacks):
    order = paid_order(delivery_phone="+33612345678", user__language="fr")
    dispatch(order, django_capture_on_commit_callbacks, courier="colissimo")
    assert "est en route" in mail.outbox[0].subject
    assert "Numéro de suivi : DPD0001" in mail.outbox[0].body
    assert MemorySmsBackend.outbox[0].body.startswith("Offtek : votre commande")


def test_no_mobile_number_means_no_text_message(django_capture_on_commit_callbacks):
    order = paid_order(delivery_phone="")
    dispatch(order, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert MemorySmsBackend.outbox == [] and not SmsMessage.objects.exists()


def test_dispatching_twice_sends_nothing_twice(django_capture_on_commit_callbacks):
    order = paid_order(delivery_phone="+447700900123")
    dispatch(order, django_capture_on_commit_callbacks)
    assert dispatch(order, django_capture_on_commit_callbacks) is False
    assert len(mail.outbox) == 1 and len(MemorySmsBackend.outbox) == 1


@pytest.mark.parametrize(("courier", "tracking"), [("pigeon", "X1"), ("dpd", "   ")])
def test_dispatch_refuses_unknown_courier_or_missing_tracking(courier, tracking):
    order = paid_order()
    with pytest.raises(DispatchError):
        order_dispatch(order=order, courier=courier, tracking_number=tracking)
    order.refresh_from_db()
    assert (order.status, order.courier, order.tracking_number) == (S.PAID, "", "")


def test_an_order_held_for_review_cannot_be_dispatched():
    order = paid_order()
    order_transition(order=order, to=S.HELD_FOR_REVIEW)
    with pytest.raises(IllegalTransition):
        order_dispatch(order=order, courier="dpd", tracking_number="DPD1")
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (S.HELD_FOR_REVIEW, "")


def test_a_failing_sms_provider_never_blocks_the_dispatch_and_is_retried(
    django_capture_on_commit_callbacks, settings
):
    settings.SMS_RETRY_SECONDS = 60
    MemorySmsBackend.failures = 1
    order = paid_order(delivery_phone="+447700900123")
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC), tick=False
    ):
        dispatch(order, django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.status == S.DISPATCHED and len(mail.outbox) == 1
    message = SmsMessage.objects.get(order=order)
    assert (message.status, message.attempts) == (SmsStatus.RETRYING, 1)
    assert message.last_error and MemorySmsBackend.outbox == []
    assert message.next_attempt_at == datetime.datetime(2026, 11, 2, 10, 1, tzinfo=datetime.UTC)
    # Not due yet: nothing is sent.
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, 0, 59, tzinfo=datetime.UTC)):
        call_command("sms_resend")
    assert MemorySmsBackend.outbox == []
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, 1, tzinfo=datetime.UTC)):
        call_command("sms_resend")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (SmsStatus.SENT, 2)
    assert len(MemorySmsBackend.outbox) == 1


def test_sms_gives_up_after_the_last_attempt(settings):
    settings.SMS_MAX_ATTEMPTS = 2
    MemorySmsBackend.failures = 5
    order = paid_order(delivery_phone="+447700900123")
    message = SmsMessage.objects.create(order=order, kind="dispatched", to_number="+44", body="x")
    sms_attempt(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.next_attempt_at is not None) == (SmsStatus.RETRYING, True)
    sms_attempt(message_id=message.pk)  # not due yet: nothing happens
    message.refresh_from_db()
    assert message.attempts == 1
    with time_machine.travel(message.next_attempt_at):
        sms_attempt(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        SmsStatus.DEAD,
        2,
        None,
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        sms_attempt(message_id=message.pk)  # a dead message is never tried again
    message.refresh_from_db()
    assert message.attempts == 2 and MemorySmsBackend.outbox == []


def test_a_queue_that_can_defer_gets_the_retry_as_a_task_with_run_after(
    settings, django_capture_on_commit_callbacks
):
    from django.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    MemorySmsBackend.failures = 1
    order = paid_order(delivery_phone="+447700900123")
    message = SmsMessage.objects.create(order=order, kind="dispatched", to_number="+44", body="x")
    with django_capture_on_commit_callbacks(execute=True):
        sms_attempt(message_id=message.pk)
    message.refresh_from_db()
    [result] = default_task_backend.results
    assert result.task.name == "sms_deliver"
    assert result.kwargs == {"message_id": message.pk}
    assert result.task.run_after == message.next_attempt_at


@pytest.fixture
def sms_provider(settings):
    with provider_serving(settings, "SMS_BACKEND", "SMS") as server:
        yield server


def test_http_provider_receives_json_with_the_bearer_token(sms_provider):
    reference = HttpSmsBackend().send(to="+447700900123", body="Bonjour")
    assert reference == "msg_1"
    assert sms_provider.received == [{"to": "+447700900123", "body": "Bonjour", "sender": "Offtek"}]


def test_http_provider_errors_and_bad_tokens_are_sms_errors(sms_provider, settings):
    sms_provider.fail_next = 1
    with pytest.raises(SmsError, match="503"):
        HttpSmsBackend().send(to="+44", body="x")
    settings.SMS_HTTP_TOKEN = "wrong"
    with pytest.raises(SmsError, match="401"):
        HttpSmsBackend().send(to="+44", body="x")
    assert sms_provider.received == []


def test_http_provider_failure_then_retry_through_the_outbox(
    sms_provider, django_capture_on_commit_callbacks
):
    sms_provider.fail_next = 1
    order = paid_order(delivery_phone="+447700900123")
    dispatch(order, django_capture_on_commit_callbacks)
    message = SmsMessage.objects.get(order=order)
    assert message.status == SmsStatus.RETRYING and "503" in message.last_error
    with time_machine.travel(message.next_attempt_at):
        assert sms_attempt(message_id=message.pk).status == SmsStatus.SENT
    assert len(sms_provider.received) == 1
    # The same key on both attempts, for a provider that took the first one after all.
    assert sms_provider.keys == [message.idempotency_key] * 2 and message.idempotency_key


def test_http_provider_refuses_plain_http_to_other_hosts(settings):
    settings.SMS_HTTP_URL = "http://sms.example/v1"
    with pytest.raises(SmsError, match="https"):
        HttpSmsBackend().send(to="+44", body="x")


# Admin -----------------------------------------------------------------------------


def test_bulk_dispatch_form_needs_a_tracking_number_per_order(staff_client):
    first, second = paid_order(), paid_order()
    url = f"{reverse('admin:shop_order_dispatch')}?ids={first.pk},{second.pk}"
    response = staff_client.post(url, {"courier": "dpd", f"tracking_{first.pk}": "A1"})
    assert response.status_code == 200 and "This field is required" in response.text
    first.refresh_from_db()
    assert first.status == S.PAID
    staff_client.post(
        url, {"courier": "royal-mail", f"tracking_{first.pk}": "A1", f"tracking_{second.pk}": "B2"}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.tracking_number, second.tracking_number) == ("A1", "B2")
    assert first.status == second.status == S.DISPATCHED


def test_admin_deliver_action(staff_client):
    order = paid_order()
    order_dispatch(order=order, courier="dpd", tracking_number="T1")
    staff_client.post(
        reverse("admin:shop_order_changelist"),
        {"action": "deliver_action", "_selected_action": [order.pk]},
    )
    order.refresh_from_db()
    assert order.status == S.DELIVERED and order.delivered_at is not None


# Courier updates -------------------------------------------------------------------


def courier_post(client, payload, *, signature=None):
    body = json.dumps(payload).encode()
    return client.post(
        reverse("courier-update"),
        body,
        content_type="application/json",
        headers={"X-Offtek-Signature": signature or courier_signature(body=body)},
    )


def test_a_signed_courier_update_delivers_the_order_once(client):
    order = paid_order()
    order_dispatch(order=order, courier="dpd", tracking_number="T1")
    payload = {"order": order.number, "tracking_number": "T1", "event": "delivered"}
    response = courier_post(client, payload)
    assert response.status_code == 200 and response.json()["status"] == "delivered"
    # The courier sends the event again, freshly signed (a replay of the same signed
    # update is refused: tests/security/test_courier_updates.py).
    body = json.dumps(payload).encode()
    resent = courier_signature(body=body, timestamp=int(time.time()) + 1)
    again = courier_post(client, payload, signature=resent)
    assert again.status_code == 200
    assert order.events.filter(to_status=S.DELIVERED).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signature": "0" * 64}, "signature is not valid"),
        ({"tracking_number": "OTHER"}, "No dispatched order"),
        ({"event": "lost"}, "Only delivery updates"),
    ],
)
def test_forged_or_wrong_courier_updates_change_nothing(client, change, message):
    order = paid_order()
    order_dispatch(order=order, courier="dpd", tracking_number="T1")
    signature = change.pop("signature", None)
    payload = {"order": order.number, "tracking_number": "T1", "event": "delivered", **change}
    response = courier_post(client, payload, signature=signature)
    assert response.status_code == 403 and message in response.json()["error"]
    order.refresh_from_db()
    assert order.status == S.DISPATCHED


def test_a_courier_update_for_an_order_not_dispatched_is_refused(client):
    order = paid_order()
    order.tracking_number = "T1"
    order.save(update_fields=["tracking_number"])
    payload = {"order": order.number, "tracking_number": "T1", "event": "delivered"}
    response = courier_post(client, payload)
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == S.PAID


def test_a_courier_update_that_is_not_json_is_refused(client):
    # Signed: an unsigned body is now refused (403) before it is ever parsed.
    response = client.post(
        reverse("courier-update"),
        b"[1]",
        content_type="application/json",
        headers={"X-Offtek-Signature": courier_signature(body=b"[1]")},
    )
    assert response.status_code == 400


def test_deploy_checks_want_a_real_sms_provider_and_a_courier_secret(settings):
    from shop.fulfilment.sms.checks import fulfilment_configured

    settings.DEBUG = False
    settings.SMS_BACKEND = "console"
    settings.COURIER_WEBHOOK_SECRET = ""
    assert {c.id for c in fulfilment_configured()} == {"shop.W010", "shop.W012"}
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = "http://sms.example"
    assert "shop.E011" in {c.id for c in fulfilment_configured()}
    settings.SMS_HTTP_URL = "https://sms.example/v1/messages"
    settings.SMS_HTTP_TOKEN = "token"
    settings.COURIER_WEBHOOK_SECRET = "secret"
    assert fulfilment_configured() == []


def test_the_dispatch_refusal_is_the_lifecycle_rule_in_the_staff_language():
    order = paid_order()
    assert order_dispatch_refusal(order) == ""
    order_transition(order=order, to=S.HELD_FOR_REVIEW)
    assert "only paid orders" in order_dispatch_refusal(order)
    with translation.override("fr"):
        assert "seules les commandes payées" in order_dispatch_refusal(order)


def test_order_language_prefers_the_account_then_the_order_then_english():
    order = paid_order()
    order.user.language = "fr"
    order.user.save(update_fields=["language"])
    order.language = "en"
    assert order_language(order) == "fr"
    order.user.language = ""
    order.user.save(update_fields=["language"])
    assert order_language(order) == "en"
    order.language = ""
    assert order_language(order) == "en"
    order.user = None
    order.language = "fr"
    assert order_language(order) == "fr"


def test_staff_resend_a_dead_text_message_from_the_admin(
    settings, staff_client, django_capture_on_commit_callbacks
):
    settings.SMS_MAX_ATTEMPTS = 1
    MemorySmsBackend.failures = 1
    order = paid_order(delivery_phone="+447700900123")
    message = SmsMessage.objects.create(
        order=order,
        kind="dispatched",
        to_number="+447700900123",
        body="On its way",
        idempotency_key="k1",
    )
    sms_attempt(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == SmsStatus.DEAD
    changelist = reverse("admin:shop_smsmessage_changelist")
    assert "refused on purpose" in staff_client.get(changelist, {"status__exact": "dead"}).text

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(changelist, {"action": "resend_action", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert (message.status, message.attempts) == (SmsStatus.SENT, 1)
    [sent] = MemorySmsBackend.outbox
    assert sent.key == "k1"
    with django_capture_on_commit_callbacks(execute=True):  # sent: a second re-send does nothing
        staff_client.post(changelist, {"action": "resend_action", "_selected_action": [message.pk]})
    assert len(MemorySmsBackend.outbox) == 1


def test_text_messages_off_keep_no_number_in_the_outbox(
    settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "off"
    order = paid_order(delivery_phone="+447700900123")
    with django_capture_on_commit_callbacks(execute=True):
        order_dispatch(order=order, courier="dpd", tracking_number="DPD1")
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPATCHED
    assert not SmsMessage.objects.exists() and MemorySmsBackend.outbox == []
    assert not Disclosure.objects.filter(processor="sms").exists()
    # A message queued before they were turned off is refused for good, not retried.
    message = SmsMessage.objects.create(order=order, kind="late", to_number="+44", body="x")
    sms_attempt(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.next_attempt_at) == (SmsStatus.DEAD, None)
