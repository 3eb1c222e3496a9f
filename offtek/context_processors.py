from django.conf import settings


def site(request):
    """What every page's layout needs to know about the shop's configuration."""
    return {"payment_gateway": settings.PAYMENT_GATEWAY, "test_shop": settings.TEST_SHOP}
