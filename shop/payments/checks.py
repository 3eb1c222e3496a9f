from django.conf import settings
from django.core import checks

from offtek.fail_closed import simulator_refusal


@checks.register(checks.Tags.security, deploy=True)
def simulator_not_in_production(app_configs=None, **kwargs):
    """The simulator takes no money: it must never run a production shop (the rule
    production settings already refuse to start with, reported by `check --deploy`)."""
    if settings.DEBUG:
        return []
    reason = simulator_refusal(gateway=settings.PAYMENT_GATEWAY, test_shop=settings.TEST_SHOP)
    if reason is None:
        return []
    return [
        checks.Error(
            reason,
            hint="Set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET.",
            id="shop.E001",
        )
    ]
