"""Showing an export's nested values (order lines, addresses) as nested lists."""

from django import template

register = template.Library()


@register.filter
def export_shape(value) -> str:
    """ "mapping", "sequence" or "scalar", for the export page's recursive include."""
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list | tuple):
        return "sequence"
    return "scalar"
