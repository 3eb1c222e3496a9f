from django import template
from django.utils.translation import get_language

from privacy import policy

register = template.Library()


@register.filter
def policy_purpose(key):
    """``{% with purpose="orders"|policy_purpose %}``: a purpose of the policy registry."""
    return policy.PURPOSES[key]


@register.simple_tag
def complaint_authorities():
    """``{% complaint_authorities as authorities %}``: the ICO and the CNIL, the reader's
    country's authority first."""
    return policy.complaint_authorities(get_language() or "en")
