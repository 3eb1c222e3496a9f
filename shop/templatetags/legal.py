"""The seller's facts in any template, e-mails included: ``{% seller as seller %}``."""

from django import template
from django.conf import settings
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.simple_tag
def seller() -> dict:
    return settings.SHOP_SELLER


ZONE_NAMES = {"Europe/London": _("UK time"), "Europe/Paris": _("French time")}


@register.filter
def zone_name(time_zone: str) -> str:
    """ "UK time" for Europe/London, in the reader's language."""
    return str(ZONE_NAMES.get(time_zone, time_zone))
