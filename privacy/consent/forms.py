"""Consent forms: preferences and re-consent. Consent boxes are never ticked in
advance: a box is ticked only when the customer said yes before (preferences page)."""

from django import forms
from django.urls import reverse

from privacy import policy


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
