from django import forms
from django.utils.translation import gettext_lazy as _

from shop.models import ClaimReason


class WarrantyClaimForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=ClaimReason.choices)
    symptoms = forms.CharField(
        label=_("Describe what happens"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: the computer does not start, or which errors a memory test shows. "
            "We use this only to handle your claim."
        ),
    )


class KeptWarrantyFindForm(forms.Form):
    """A former customer finds the lifetime warranty they kept when closing their
    account."""

    number = forms.CharField(label=_("Order number"), max_length=32)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "The address of your closed account: we send the link to it, to be sure the "
            "purchase is yours. We use it for nothing else."
        ),
    )


class KeptWarrantyDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that once deleted, no warranty claim can be handled for these purchases."
        )
    )
