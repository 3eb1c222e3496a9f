"""Text messages to customers: queued in the outbox, sent after the order's change
commits, retried with a growing delay until sent or dead (privacy.outbox)."""

import datetime
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from privacy.consent.purposes import uses_personal_data
from privacy.disclosures import attempt_disclosure_record, fields_sent
from privacy.outbox import (
    OutboxRules,
    outbox_claim,
    outbox_come_back_at,
    outbox_due,
    outbox_failed,
    outbox_resend,
    outbox_sent,
)
from privacy.phone_numbers import phone_e164_or_none
from shop.fulfilment.sms.base import SmsBackend, SmsError
from shop.fulfilment.sms.console import ConsoleSmsBackend
from shop.fulfilment.sms.http import HttpSmsBackend
from shop.fulfilment.sms.memory import MemorySmsBackend
from shop.models import Order, SmsMessage, SmsStatus
from shop.orders.selectors import order_language

logger = logging.getLogger(__name__)

# What a backend's `send` is handed, in the disclosure ledger's words.
SMS_WORDS = {"to": "phone", "body": "message", "key": None}  # key: the row's random id

BACKENDS: dict[str, type[SmsBackend]] = {
    "console": ConsoleSmsBackend,
    "memory": MemorySmsBackend,
    "http": HttpSmsBackend,
}


def sms_backend() -> SmsBackend:
    """The configured backend; a message queued before text messages were turned off
    is refused for good (dead, re-sent from the admin once a provider is set)."""
    if settings.SMS_BACKEND == "off":
        raise SmsError("text messages are off (SMS_BACKEND=off)", transient=False)
    return BACKENDS[settings.SMS_BACKEND]()


def sms_rules() -> OutboxRules:
    return OutboxRules(
        max_attempts=settings.SMS_MAX_ATTEMPTS,
        retry_seconds=settings.SMS_RETRY_SECONDS,
        claim_seconds=settings.OUTBOX_CLAIM_SECONDS,
    )


@uses_personal_data("orders", categories=["contact", "transaction"])
@transaction.atomic
def sms_queue(*, order: Order, kind: str, template: str, context: dict) -> SmsMessage | None:
    """Write a message to the order's mobile number into the outbox, once per kind,
    in the customer's language, and send it once the transaction commits. Nothing
    when text messages are off."""
    if settings.SMS_BACKEND == "off":
        return None
    to_number = phone_e164_or_none(order.delivery_phone)
    if to_number is None:  # no number, or one that cannot be dialled
        return None
    if SmsMessage.objects.filter(order=order, kind=kind).exists():
        return None
    language = order_language(order)
    with translation.override(language):
        body = render_to_string(template, {"order": order, **context}).strip()
    message = SmsMessage.objects.create(
        order=order, kind=kind, to_number=to_number, body=body, idempotency_key=uuid.uuid4().hex
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int, run_after: datetime.datetime | None = None) -> None:
    task = sms_deliver.using(run_after=run_after) if run_after else sms_deliver
    task.enqueue(message_id=message_id)


@uses_personal_data("orders", categories=["contact"])
def sms_attempt(*, message_id: int) -> SmsMessage:
    """One attempt at a queued message: claimed under its row lock (so no two
    workers send it), handed to the provider with its own key, then marked sent, to
    retry, or dead (privacy.outbox). A failure is recorded, never raised; the task
    comes back for the next attempt when the queue can defer, otherwise `manage.py
    sms_resend` does."""
    message = SmsMessage.objects.get(pk=message_id)
    rules = sms_rules()
    if outbox_claim(row=message, rules=rules):
        sent = {"to": message.to_number, "body": message.body, "key": message.idempotency_key}
        try:
            reference = sms_backend().send(**sent)
        except SmsError as error:
            outbox_failed(row=message, error=str(error), transient=error.transient, rules=rules)
        else:
            outbox_sent(row=message, fields={"provider_reference": reference[:100]})
        _sms_disclosure_record(message, fields=fields_sent(sent, SMS_WORDS))
    come_back = outbox_come_back_at(message, rules=rules)
    if come_back and _queue_can_defer():
        transaction.on_commit(lambda: _enqueue(message.pk, run_after=come_back))
    return message


def _sms_disclosure_record(message: SmsMessage, *, fields: tuple) -> None:
    """This attempt handed the provider `fields` of the customer (their number and the
    text): sent, failed (another try follows) or given up, as the row now says."""
    attempt_disclosure_record(
        status=message.status,
        user=message.order.user if message.order.user_id else None,
        processor="sms",
        purpose="orders",
        categories=("contact",),
        fields=fields,
        reference=message.order.number,
        attempt=message.attempts,
    )


def _queue_can_defer() -> bool:
    return sms_deliver.get_backend().supports_defer


def sms_resend_due(*, now: datetime.datetime | None = None) -> int:
    """Attempt every message due (queued, due for a retry, or claimed by a worker
    that died), oldest first, stopping at the first the provider could not take for
    now. Safe to re-run, and from several workers."""
    due = outbox_due(SmsMessage.objects.all(), rules=sms_rules(), now=now).order_by("pk")
    sent = 0
    for message_id in due.values_list("pk", flat=True):
        status = sms_attempt(message_id=message_id).status
        if status == SmsStatus.RETRYING:
            break
        sent += status == SmsStatus.SENT
    return sent


def sms_message_resend(*, message: SmsMessage, by) -> bool:
    """Staff send a dead text message again (the admin's "Re-send")."""
    with transaction.atomic():
        again = outbox_resend(row=message, by=by)
        if again:
            message_id = message.pk
            transaction.on_commit(lambda: _enqueue(message_id))
    return again


# The task queue's entry points live here, beside the services they call, so that
# services and tasks do not import each other.
@task
def sms_deliver(*, message_id: int) -> str:
    """Send one outbox message; a failure schedules the next attempt, never raises."""
    return sms_attempt(message_id=message_id).status


@task
def sms_resend() -> int:
    """The same as `manage.py sms_resend`, for a periodic worker."""
    return sms_resend_due()
