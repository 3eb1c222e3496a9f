from django import forms
from django.utils.translation import gettext_lazy as _

from shop.basket.services import MAX_LINE_QUANTITY

QUANTITY_ERRORS = {
    "required": _("Enter a quantity."),
    "invalid": _("Enter a whole number."),
    "min_value": _("Choose a quantity of at least %(limit_value)s."),
    "max_value": _("Choose at most %(limit_value)s."),
}


class BasketAddForm(forms.Form):
    module = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        initial=1,
        error_messages=QUANTITY_ERRORS,
    )


class BasketAddByPartNumberForm(forms.Form):
    part_number = forms.CharField(
        label=_("Part number"),
        max_length=64,
        error_messages={"required": _("Enter a part number.")},
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        initial=1,
        error_messages=QUANTITY_ERRORS,
    )


class BasketLineForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=0,
        max_value=MAX_LINE_QUANTITY,
        error_messages={**QUANTITY_ERRORS, "min_value": _("The quantity cannot be negative.")},
    )
