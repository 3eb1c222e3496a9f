"""The import's cells as staff type them: whole numbers, amounts in pounds or euros
(45.99, 45,99, £45.99), choices in any case and spelling (SO-DIMM, sodimm, ddr4),
yes/no in English or French. Every refusal names the value and what is accepted."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import widgets

from shop.models import Manufacturer


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number of at least `minimum`; empty is None (the model says if allowed)."""

    def __init__(self, *, minimum=0, **kwargs):
        self.minimum = minimum
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(
                _("“%(value)s” is not a whole number: give a whole number of at least %(minimum)s.")
                % {"value": value, "minimum": self.minimum}
            )
        if number < self.minimum or number.adjusted() > 9:
            raise ValueError(
                _("%(value)s is out of range: give a whole number of at least %(minimum)s.")
                % {"value": value, "minimum": self.minimum}
            )
        return int(number)


class MoneyWidget(widgets.Widget):
    """An amount as staff type it, in pounds or euros: 45.99, 45,99, £45.99, 45,99 €,
    1 234,50. Stored in minor units (pence or cents)."""

    def __init__(self, *, currency, **kwargs):
        self.currency = currency
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = re.sub(r"[\s\u00a0\u202f£€]|GBP|EUR", "", str(value or ""), flags=re.IGNORECASE)
        if not text:
            return None
        if "," in text and "." in text:  # the last separator is the decimal one
            thousands = "," if text.rfind(".") > text.rfind(",") else "."
            text = text.replace(thousands, "")
        text = text.replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
        if (
            amount is None
            or not amount.is_finite()
            or amount <= 0
            or -amount.as_tuple().exponent > 2
        ):
            raise ValueError(
                _("“%(value)s” is not an amount in %(currency)s: give it like 45.99 or 45,99.")
                % {"value": value, "currency": self.currency}
            )
        if amount >= 10_000_000:
            raise ValueError(
                _("%(value)s is out of range: give an amount under 10,000,000.") % {"value": value}
            )
        return int(amount * 100)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{Decimal(value) / 100:.2f}"


def _folded(text):
    return re.sub(r"[\s\-_()]", "", str(text)).casefold()


class ChoiceWidget(widgets.Widget):
    """One of a list of values, as staff type it: any case, with or without hyphens or
    spaces ("SO-DIMM", "sodimm", "ddr4"), or one of the aliases. A wrong value is
    answered with every accepted value."""

    def __init__(self, choices, *, aliases=None, **kwargs):
        self.choices = list(choices)
        self.accepted = {_folded(value): value for value, _label in self.choices}
        self.accepted.update({_folded(label): value for value, label in self.choices})
        self.accepted.update({_folded(alias): value for alias, value in (aliases or {}).items()})
        super().__init__(**kwargs)

    def accepted_list(self):
        return ", ".join(str(label) for _value, label in self.choices)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if (choice := self.accepted.get(_folded(text))) is not None:
            return choice
        raise ValueError(
            _("“%(value)s” is not accepted here. Accepted: %(accepted)s.")
            % {"value": value, "accepted": self.accepted_list()}
        )


class ChoiceListWidget(ChoiceWidget):
    """Several values separated by commas or semicolons, each as ChoiceWidget takes it."""

    def clean(self, value, row=None, **kwargs):
        items = [item for item in re.split(r"[,;/]", str(value or "")) if item.strip()]
        return ",".join(super(ChoiceListWidget, self).clean(item) for item in items)


class YesNoWidget(widgets.BooleanWidget):
    """yes/no (also oui/non, true/false, 1/0); empty is "no"."""

    YES = {"yes", "y", "oui", "o", "true", "vrai", "1", "x"}
    NO = {"no", "n", "non", "false", "faux", "0", ""}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if text in self.YES or value is True:
            return True
        if text in self.NO or value is False:
            return False
        raise ValueError(
            _("“%(value)s” is not yes or no. Accepted: yes, no, oui, non, 1, 0.") % {"value": value}
        )


class ManufacturerWidget(widgets.ForeignKeyWidget):
    """The manufacturer by name; a new name adds the manufacturer."""

    def __init__(self):
        super().__init__(Manufacturer, field="name")

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            raise ValueError(_("The manufacturer is missing."))
        if len(name) > 64:
            raise ValueError(_("The manufacturer's name is longer than 64 characters."))
        manufacturer = Manufacturer.objects.filter(name__iexact=name).first()
        if manufacturer is None:
            manufacturer = Manufacturer.objects.create(name=name, slug=slugify(name)[:80])
        return manufacturer
