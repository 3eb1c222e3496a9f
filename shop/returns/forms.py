from django import forms
from django.utils.translation import gettext_lazy as _


class WithdrawalStatementForm(forms.Form):
    """The statement: who withdraws, from which items of the order, and where the
    acknowledgement goes. Only the order's items not withdrawn yet can be chosen."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    lines = forms.TypedMultipleChoiceField(
        label=_("The items you withdraw from"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one item.")},
    )
    email = forms.EmailField(
        label=_("E-mail address for the acknowledgement"),
        max_length=254,
        help_text=_("We e-mail you the statement and the date and time we received it."),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [
            (
                line.pk,
                f"{line.quantity} × {line.description} ({line.part_number}), {line.total}",
            )
            for line in lines
        ]


class WithdrawalFindForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=20)
    email = forms.EmailField(
        label=_("The e-mail address of your account"),
        max_length=254,
        help_text=_("We send a link to withdraw to this address if it is the order's."),
    )
