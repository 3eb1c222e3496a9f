from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def simulator_not_in_production(app_configs=None, **kwargs):
    """The simulator takes no money: it must never run a production shop."""
    if settings.PAYMENT_GATEWAY == "simulator" and not settings.DEBUG:
        return [
            checks.Error(
                "The payment simulator is active with DEBUG off.",
                hint="Set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET.",
                id="shop.E001",
            )
        ]
    return []
