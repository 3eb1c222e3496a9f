"""The erasure receipt's lines, written in the language active when the e-mail or the
page is rendered (the e-mail is written by the task that sends it)."""

from django import template

from privacy.rights.receipts import receipt_lines as lines_of

register = template.Library()


@register.filter
def receipt_lines(receipt) -> list:
    return lines_of(receipt=receipt)
