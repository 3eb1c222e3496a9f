from django import template

from privacy import policy

register = template.Library()


@register.filter
def policy_purpose(key):
    """``{% with purpose="orders"|policy_purpose %}``: a purpose of the policy registry."""
    return policy.PURPOSES[key]
