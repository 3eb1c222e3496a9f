"""The seller's facts in any template, e-mails included: ``{% seller as seller %}``."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def seller() -> dict:
    return settings.SHOP_SELLER
