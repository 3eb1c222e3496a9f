"""Forms of the breach register: recording a breach, and each step of its handling."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy import policy
from privacy.models import BreachCustomerDecision, PersonalDataBreach
from privacy.records.breaches import DEADLINE_FACTS, breach_facts_locked

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BreachForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("categories of data"),
        choices=[(key, category.label) for key, category in policy.CATEGORIES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    subject_kinds = forms.MultipleChoiceField(
        label=_("categories of people"),
        choices=list(policy.SUBJECTS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PersonalDataBreach
        fields = [
            "summary",
            "description",
            "categories",
            "subject_kinds",
            "subjects_affected",
            "occurred_at",
            "found_at",
            "consequences",
            "measures",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if breach_facts_locked(self.instance):
            for name in DEADLINE_FACTS:
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        found_at, occurred_at = cleaned.get("found_at"), cleaned.get("occurred_at")
        if found_at and found_at > timezone.now():
            self.add_error("found_at", _("A breach cannot be found in the future."))
        if found_at and occurred_at and occurred_at > found_at:
            self.add_error("occurred_at", _("It cannot have happened after it was found."))
        return cleaned


class BreachReportForm(forms.Form):
    reported_at = forms.DateTimeField(
        label=_("reported on"), widget=DATETIME_WIDGET, initial=timezone.now
    )
    authority_reference = forms.CharField(label=_("regulator's reference"), max_length=60)
    late_reason = forms.CharField(
        label=_("reason for the delay"),
        help_text=_(
            "Required when the report is made more than 72 hours after the breach was found."
        ),
        widget=forms.Textarea,
        required=False,
    )


class BreachNotReportableForm(forms.Form):
    reason = forms.CharField(
        label=_("why it is unlikely to put people at risk"), widget=forms.Textarea
    )


class BreachCustomersForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("telling the people affected"),
        choices=[
            (BreachCustomerDecision.TELL, BreachCustomerDecision.TELL.label),
            (BreachCustomerDecision.NO_NEED, BreachCustomerDecision.NO_NEED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea)
    told_at = forms.DateTimeField(label=_("told on"), widget=DATETIME_WIDGET, required=False)
