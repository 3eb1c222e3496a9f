"""Account forms: sign-up (with the unticked consent boxes) and the customer's details."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from privacy.consent.forms import ConsentFieldsMixin
from privacy.consent.services import consents_record
from privacy.models import ConsentSource
from privacy.phone_numbers import PhoneField


class SignupForm(ConsentFieldsMixin, AllauthSignupForm):
    """allauth's sign-up form with the marketing and review choices, all unticked."""

    collection_purpose = "account"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields()

    def try_save(self, request):
        """An address that already has an account gets no new one (allauth e-mails its
        owner instead), but its password is hashed all the same: without that, the
        answer comes ten times faster and tells who is a customer."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)

    def custom_signup(self, request, user):
        super().custom_signup(request, user)
        granted = {key: True for key, value in self.consent_choices().items() if value}
        if granted:
            consents_record(user=user, choices=granted, source=ConsentSource.SIGNUP)


class ProfileForm(forms.Form):
    """Name and phone (the e-mail changes through allauth, with verification). A plain
    form: a ModelForm would change the user before the service decides."""

    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    phone = PhoneField(
        label=_("mobile phone"),
        required=False,
        help_text=_("Optional: only for delivery and dispatch text messages."),
    )
