"""Forms that collect personal data or consent. Consent boxes are never ticked in
advance: a box is ticked only when the customer said yes before (preferences page)."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from privacy import policy
from privacy.cookie_consent import OPTIONAL_CATEGORIES, CookieChoice
from privacy.models import ConsentSource, PrivacyRequestKind
from privacy.services import consents_record


def consent_field(purpose_key: str, *, initial: bool = False) -> forms.BooleanField:
    purpose = policy.PURPOSES[purpose_key]
    return forms.BooleanField(
        label=purpose.label, help_text=purpose.notice, required=False, initial=initial
    )


class ConsentFieldsMixin:
    """Adds one unticked checkbox per consent purpose; ``consent_choices()`` reads them."""

    consent_purposes = policy.MARKETING_PURPOSES

    def add_consent_fields(self, initial=None):
        initial = initial or {}
        for key in self.consent_purposes:
            self.fields[key] = consent_field(key, initial=initial.get(key, False))

    def consent_choices(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(key)) for key in self.consent_purposes}

    def consent_rows(self):
        """Bound fields with the policy section they link to, for the templates."""
        section = reverse("privacy:policy")
        for key in self.consent_purposes:
            yield self[key], f"{section}#{policy.PURPOSES[key].section}"


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


class PreferencesForm(ConsentFieldsMixin, forms.Form):
    def __init__(self, *args, initial_consents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields(initial=initial_consents)


class ReconsentForm(ConsentFieldsMixin, forms.Form):
    """Asks again, unticked, about the purposes a new policy version changed."""

    def __init__(self, *args, purposes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_purposes = tuple(purposes)
        self.add_consent_fields()


class CookieChoiceForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[("accept-all", "accept-all"), ("reject-all", "reject-all"), ("save", "save")]
    )
    analytics = forms.BooleanField(required=False, label=_("Analytics"))
    marketing = forms.BooleanField(required=False, label=_("Marketing"))
    next = forms.CharField(required=False)

    def cookie_choice(self) -> CookieChoice:
        choice = self.cleaned_data["choice"]
        if choice == "accept-all":
            return CookieChoice.everything()
        if choice == "reject-all":
            return CookieChoice.necessary_only()
        return CookieChoice(**{name: self.cleaned_data[name] for name in OPTIONAL_CATEGORIES})


class ProfileForm(forms.Form):
    """Name and phone (the e-mail changes through allauth, with verification). A plain
    form: a ModelForm would change the user before the service decides."""

    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("mobile phone"),
        max_length=32,
        required=False,
        help_text=_("Optional: only for delivery and dispatch text messages."),
    )


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
