from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def fulfilment_configured(app_configs=None, **kwargs):
    """In production, text messages go to a real provider and couriers sign updates."""
    if settings.DEBUG:
        return []
    problems = []
    if settings.SMS_BACKEND != "http":
        problems.append(
            checks.Warning(
                f"SMS_BACKEND is {settings.SMS_BACKEND!r}: customers get no text messages.",
                hint="Set SMS_BACKEND=http with SMS_HTTP_URL and SMS_HTTP_TOKEN.",
                id="shop.W010",
            )
        )
    elif not (settings.SMS_HTTP_URL.startswith("https://") and settings.SMS_HTTP_TOKEN):
        problems.append(
            checks.Error(
                "The HTTP text-message provider needs an https:// SMS_HTTP_URL and a token.",
                hint="Set SMS_HTTP_URL and SMS_HTTP_TOKEN.",
                id="shop.E011",
            )
        )
    if not settings.COURIER_WEBHOOK_SECRET:
        problems.append(
            checks.Warning(
                "COURIER_WEBHOOK_SECRET is empty: every courier delivery update is refused.",
                hint="Set the secret agreed with the couriers.",
                id="shop.W012",
            )
        )
    return problems
