"""The breach register in the admin. Staff record and describe a breach; each step of
its handling (report, not reportable, telling people, close) is a form on its own page
and one service call; the status is never edited directly."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from privacy import policy
from privacy.lifecycle import IllegalTransition
from privacy.models import BreachStatus, PersonalDataBreach
from privacy.records import breaches
from privacy.records.forms import (
    BreachCustomersForm,
    BreachForm,
    BreachNotReportableForm,
    BreachReportForm,
)

STEPS = {
    "report": (
        gettext_lazy("Record the report to the regulator"),
        BreachReportForm,
        lambda breach, data: breaches.breach_report(breach=breach, **data),
    ),
    "not-reportable": (
        gettext_lazy("Decide it need not be reported"),
        BreachNotReportableForm,
        lambda breach, data: breaches.breach_not_reportable(breach=breach, **data),
    ),
    "customers": (
        gettext_lazy("Decide on telling the people affected"),
        BreachCustomersForm,
        lambda breach, data: breaches.breach_customers_decide(breach=breach, **data),
    ),
    "close": (
        gettext_lazy("Close the breach"),
        None,
        lambda breach, data: breaches.breach_close(breach=breach),
    ),
}


class OverdueBreachFilter(admin.SimpleListFilter):
    title = gettext_lazy("72-hour deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", gettext_lazy("Overdue")), ("late", gettext_lazy("Reported late"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(pk__in=breaches.breaches_overdue().values("pk"))
        if self.value() == "late":
            return queryset.filter(pk__in=breaches.breaches_reported_late().values("pk"))
        return queryset


@admin.register(PersonalDataBreach)
class PersonalDataBreachAdmin(SimpleHistoryAdmin):
    form = BreachForm
    list_display = ("reference", "summary", "found_at", "report_due", "status", "customer_decision")
    list_filter = (OverdueBreachFilter, "status", "customer_decision")
    search_fields = ("reference", "summary")
    readonly_fields = (
        "reference",
        "report_due",
        "status",
        "reported_at",
        "authority_reference",
        "late_reason",
        "not_reportable_reason",
        "customer_decision",
        "customer_decision_reason",
        "customers_told_at",
        "closed_at",
    )

    def get_fieldsets(self, request, obj=None):
        described = BreachForm.Meta.fields
        if obj is None:
            return [(None, {"fields": described})]
        return [(None, {"fields": described}), (_("Handling"), {"fields": self.readonly_fields})]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == BreachStatus.CLOSED:
            return (*self.readonly_fields, *BreachForm.Meta.fields)
        if obj is not None and breaches.breach_facts_locked(obj):
            return (*self.readonly_fields, *breaches.DEADLINE_FACTS)
        return self.readonly_fields if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False  # the register is kept whole

    @admin.display(description=gettext_lazy("report due"))
    def report_due(self, breach):
        due = date_format(timezone.localtime(breaches.breach_report_due(breach)), "DATETIME_FORMAT")
        late = breaches.breach_lateness(breach)
        if late is None:
            return due
        if breach.status == BreachStatus.OPEN:
            return _("%(when)s (overdue)") % {"when": due}
        hours = int(late.total_seconds() // 3600)
        return _("%(when)s (reported %(hours)s hours late)") % {"when": due, "hours": hours}

    def get_urls(self):
        return [
            path(
                "<int:object_id>/step/<slug:step>/",
                self.admin_site.admin_view(self.step_view),
                name="privacy_personaldatabreach_step",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "breach_steps": self._steps(object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _steps(self, object_id):
        return [
            (reverse("admin:privacy_personaldatabreach_step", args=[object_id, key]), title)
            for key, (title, _form, _apply) in STEPS.items()
        ]

    def step_view(self, request, object_id, step):
        if step not in STEPS:
            raise PermissionDenied
        breach = get_object_or_404(PersonalDataBreach, pk=object_id)
        if not self.has_change_permission(request, breach):
            raise PermissionDenied
        title, form_class, apply = STEPS[step]
        form = None
        if form_class is not None:
            form = form_class(request.POST or None)
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                apply(breach, form.cleaned_data if form else {})
            except breaches.BreachRefused as refusal:
                messages.error(request, str(refusal))
            except IllegalTransition:
                messages.error(
                    request,
                    _("This step is not possible while the breach is “%(status)s”.")
                    % {"status": breach.get_status_display()},
                )
            else:
                messages.success(
                    request, _("%(reference)s: done.") % {"reference": breach.reference}
                )
                return redirect("admin:privacy_personaldatabreach_change", breach.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "breach": breach,
            "form": form,
            "opts": self.model._meta,
            "categories": [policy.CATEGORIES[c].label for c in breach.categories],
        }
        return TemplateResponse(request, "admin/privacy/personaldatabreach/step.html", context)
