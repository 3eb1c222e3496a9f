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
