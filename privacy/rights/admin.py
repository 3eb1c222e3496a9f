"""Staff side of the data subject rights: erasure receipts (looked up by the code the
customer holds), privacy requests with their deadlines, and the disclosure ledger."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from privacy.admin_readonly import ReadOnlyAdminMixin
from privacy.models import Disclosure, ErasureReceipt, PrivacyRequest, PrivacyRequestStatus
from privacy.rights import requests as privacy_requests
from privacy.rights.receipts import code_hash


@admin.register(ErasureReceipt)
class ErasureReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Search with the customer's verification code: it is hashed, then matched."""

    list_display = ("created_at", "language", "short_hash")
    search_fields = ("code_hash",)
    search_help_text = _("Type the verification code from the customer's receipt.")
    readonly_fields = ("code_hash", "created_at", "language", "outcomes")

    @admin.display(description=_("code fingerprint"))
    def short_hash(self, receipt):
        return f"{receipt.code_hash[:12]}…"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(code_hash=code_hash(search_term)), False


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("week", _("Due within 7 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(pk__in=privacy_requests.privacy_requests_overdue(today=today))
        if self.value() == "week":
            return queryset.filter(
                status=PrivacyRequestStatus.OPEN,
                due_date__gte=today,
                due_date__lte=today + timezone.timedelta(days=7),
            )
        return queryset


class PrivacyRequestAdminForm(forms.ModelForm):
    """Checks an extension or a response against the request's rules before anything
    is saved: a refusal is an error on the field, and nothing changes."""

    class Meta:
        model = PrivacyRequest
        fields = ("assigned_to", "extended_reason", "notes", "response")

    def clean_extended_reason(self):
        reason = self.cleaned_data.get("extended_reason", "")
        if "extended_reason" in self.changed_data:
            refusal = privacy_requests.extension_refusal(
                privacy_request=self.instance, reason=reason
            )
            if refusal:
                raise forms.ValidationError(refusal)
        return reason.strip()

    def clean_response(self):
        response = self.cleaned_data.get("response", "")
        if "response" in self.changed_data and response.strip():
            refusal = privacy_requests.answer_refusal(privacy_request=self.instance)
            if refusal:
                raise forms.ValidationError(refusal)
        return response


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(SimpleHistoryAdmin):
    form = PrivacyRequestAdminForm
    list_display = ("reference", "kind", "status", "received_at", "due_date", "assigned_to")
    list_filter = (OverdueFilter, "status", "kind")
    search_fields = ("reference",)
    readonly_fields = (
        "reference",
        "user",
        "kind",
        "email",
        "name",
        "message",
        "language",
        "status",
        "created_at",
        "received_at",
        "due_date",
        "closed_at",
    )
    fields = (
        *readonly_fields,
        "assigned_to",
        "extended_reason",
        "notes",
        "response",
    )
    actions = ["close_requests"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """Staff changes go through one service; status is never written here."""
        if not change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        try:
            privacy_requests.privacy_request_staff_update(
                privacy_request=obj,
                assigned_to=data.get("assigned_to"),
                notes=data.get("notes", ""),
                response=data.get("response", ""),
                extension_reason=data.get("extended_reason", ""),
            )
        except (
            privacy_requests.RequestExtensionRefused,
            privacy_requests.RequestAnswerRefused,
        ) as refusal:  # changed by someone else since the form was checked
            messages.error(request, str(refusal))
        obj.refresh_from_db()

    @admin.action(description=_("Close the selected requests"))
    def close_requests(self, request, queryset):
        for privacy_request in queryset:
            privacy_requests.privacy_request_close(privacy_request=privacy_request)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d request closed.", "%(count)d requests closed.", count)
            % {"count": count},
        )


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "processor", "purpose", "reference", "outcome", "attempt")
    list_filter = ("processor", "purpose", "outcome")
    search_fields = ("user__email", "reference")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
