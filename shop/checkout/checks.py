from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def trusted_proxy_count_set(app_configs=None, **kwargs):
    """Behind a TLS proxy, DJANGO_TRUSTED_PROXY_COUNT=0 makes every customer one network:
    the proxy's address. The fair-stock limits, sign-in rate limits and the fraud rule
    on failed payments per network would then count the whole shop as one customer."""
    if settings.DEBUG or settings.ALLAUTH_TRUSTED_PROXY_COUNT > 0:
        return []
    return [
        checks.Warning(
            "DJANGO_TRUSTED_PROXY_COUNT is 0: the customer's address is read from the "
            "connection, so behind a proxy every customer counts as one network (the "
            "proxy's) for the stock limits per network, sign-in rate limits and fraud rules.",
            hint="Set DJANGO_TRUSTED_PROXY_COUNT to the number of your proxies that append "
            "to X-Forwarded-For (1 behind one TLS proxy). Silence shop.W002 only if the "
            "shop is served to customers directly, with no proxy.",
            id="shop.W002",
        )
    ]
