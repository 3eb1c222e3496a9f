"""{{ user.phone|phone_national }}: a stored E.164 number as the reader writes it."""

from django import template
from django.utils.translation import get_language

from privacy.phone_numbers import phone_display

register = template.Library()


@register.filter
def phone_national(value) -> str:
    return phone_display(str(value or ""), language=get_language() or "en")
