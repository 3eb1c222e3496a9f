"""Text messages to customers: queued in the outbox, sent after the order's change
commits, retried with a growing delay until sent or out of attempts."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from privacy.consent.purposes import uses_personal_data
from privacy.disclosures import disclosure_record
from privacy.phone_numbers import phone_e164_or_none
from shop.fulfilment.sms.base import SmsBackend, SmsError
from shop.fulfilment.sms.console import ConsoleSmsBackend
from shop.fulfilment.sms.http import HttpSmsBackend
from shop.fulfilment.sms.memory import MemorySmsBackend
from shop.models import Order, SmsMessage, SmsStatus
from shop.orders.selectors import order_language

logger = logging.getLogger(__name__)

BACKENDS: dict[str, type[SmsBackend]] = {
    "console": ConsoleSmsBackend,
    "memory": MemorySmsBackend,
    "http": HttpSmsBackend,
}


def sms_backend() -> SmsBackend:
    return BACKENDS[settings.SMS_BACKEND]()


def sms_retry_delay(*, attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8... times SMS_RETRY_SECONDS after the n-th failed attempt."""
    return datetime.timedelta(seconds=settings.SMS_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


@uses_personal_data("orders", categories=["contact", "transaction"])
@transaction.atomic
def sms_queue(*, order: Order, kind: str, template: str, context: dict) -> SmsMessage | None:
    """Write a message to the order's mobile number into the outbox, once per kind,
    in the customer's language, and send it once the transaction commits."""
    to_number = phone_e164_or_none(order.delivery_phone)
    if to_number is None:  # no number, or one that cannot be dialled
        return None
    if SmsMessage.objects.filter(order=order, kind=kind).exists():
        return None
    language = order_language(order)
    with translation.override(language):
        body = render_to_string(template, {"order": order, **context}).strip()
    message = SmsMessage.objects.create(order=order, kind=kind, to_number=to_number, body=body)
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int, run_after: datetime.datetime | None = None) -> None:
    task = sms_deliver.using(run_after=run_after) if run_after else sms_deliver
    task.enqueue(message_id=message_id)


@uses_personal_data("orders", categories=["contact"])
def sms_attempt(*, message_id: int) -> SmsMessage:
    """Try to send one queued message. A failure is recorded, never raised: the
    message is tried again later (by the task queue when it can defer, otherwise by
    `manage.py sms_resend`), up to SMS_MAX_ATTEMPTS."""
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().get(pk=message_id)
        if message.status != SmsStatus.QUEUED:
            return message
        try:
            reference = sms_backend().send(to=message.to_number, body=message.body)
        except SmsError as error:
            message.attempts += 1
            message.last_error = str(error)[:200]
            if message.attempts >= settings.SMS_MAX_ATTEMPTS:
                message.status = SmsStatus.FAILED
                message.next_attempt_at = None
                logger.warning("SMS %s failed for good: %s", message.pk, error)
            else:
                message.next_attempt_at = timezone.now() + sms_retry_delay(
                    attempts=message.attempts
                )
            message.save()
        else:
            message.attempts += 1
            message.status = SmsStatus.SENT
            message.provider_reference = reference
            message.sent_at = timezone.now()
            message.next_attempt_at = None
            message.last_error = ""
            message.save()
            _sms_disclosure_record(message)
            return message
    if message.status == SmsStatus.QUEUED and _queue_can_defer():
        transaction.on_commit(lambda: _enqueue(message.pk, run_after=message.next_attempt_at))
    return message


def _sms_disclosure_record(message: SmsMessage) -> None:
    """The provider accepted the message: it received the number and the text."""
    user = message.order.user if message.order.user_id else None
    if user is not None:
        disclosure_record(
            user=user,
            processor="email",  # "E-mail and text message services"
            purpose="orders",
            categories=("contact",),
            fields=("phone", "message"),
            reference=message.order.number,
        )


def _queue_can_defer() -> bool:
    return sms_deliver.get_backend().supports_defer


def sms_resend_due(*, now: datetime.datetime | None = None) -> int:
    """Try again every queued message whose next attempt is due. Safe to re-run."""
    now = now or timezone.now()
    due = SmsMessage.objects.filter(status=SmsStatus.QUEUED, next_attempt_at__lte=now)
    sent = 0
    for message_id in due.values_list("pk", flat=True):
        sent += sms_attempt(message_id=message_id).status == SmsStatus.SENT
    return sent


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
