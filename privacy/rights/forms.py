"""Forms of the rights pages: the Privacy Officer contact form, closing an account."""

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.models import PrivacyRequestKind


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Your request"), choices=PrivacyRequestKind.choices)
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Your e-mail address"), required=False)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=5000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = bool(user and user.is_authenticated)
        if self.signed_in:
            del self.fields["email"]
        else:
            self.fields["email"].required = True


class AccountCloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that closing my account cannot be undone."), required=True
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        for option in self.options:
            self.fields[f"keep_{option.key}"] = forms.BooleanField(
                label=option.label, help_text=option.warning, required=False
            )

    def kept(self) -> frozenset:
        return frozenset(
            option.key for option in self.options if self.cleaned_data.get(f"keep_{option.key}")
        )
