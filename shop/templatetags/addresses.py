"""Addresses as their country's post lays them out: {{ order|address_lines }} gives the
lines (see shop.addresses.layout); pages join them with <br>, e-mails with new lines."""

from django import template

from shop.addresses.layout import address_lines as lines_of
from shop.addresses.layout import country_name as name_of

register = template.Library()


@register.filter
def address_lines(source) -> list[str]:
    return lines_of(source)


@register.filter
def country_name(code) -> str:
    return name_of(code or "")
