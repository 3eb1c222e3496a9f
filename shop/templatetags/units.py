"""Units in the shopper's language: {{ 16|gb }} is "16 GB" in English, "16 Go" in French."""

from django import template

from shop.models.catalog import gigabytes

register = template.Library()


@register.filter
def gb(value):
    return gigabytes(value)
