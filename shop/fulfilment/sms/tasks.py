from django.tasks import task

from shop.fulfilment.sms.services import sms_attempt, sms_resend_due


@task
def sms_deliver(*, message_id: int) -> str:
    """Send one outbox message; a failure schedules the next attempt, never raises."""
    return sms_attempt(message_id=message_id).status


@task
def sms_resend() -> int:
    """The same as `manage.py sms_resend`, for a periodic worker."""
    return sms_resend_due()
