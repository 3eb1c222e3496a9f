"""The erasure receipt's lines, written in the language active when the e-mail or the
page is rendered (the e-mail is written by the task that sends it)."""

from django import template

register = template.Library()


@register.filter
def receipt_lines(receipt) -> list:
    from privacy import erasure  # erasure imports the e-mails, which load this library

    return erasure.receipt_lines(receipt=receipt)
