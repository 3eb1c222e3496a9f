"""Staff side of fulfilment: warranty claims, the text-message outbox, review
invitations."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from privacy.outbox_admin import OutboxAdmin
from shop.fulfilment.sms.services import sms_message_resend
from shop.fulfilment.warranty.services import (
    CLAIM_TRANSITIONS,
    IllegalClaimTransition,
    claim_transition,
)
from shop.models import (
    ClaimStatus,
    ReviewInvitation,
    SmsMessage,
    WarrantyClaim,
    WarrantyClaimEvent,
)


class WarrantyClaimEventInline(admin.TabularInline):
    model = WarrantyClaimEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ClaimStepForm(forms.Form):
    to = forms.ChoiceField(label=_("Next step"))
    note = forms.CharField(
        label=_("Note to the customer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent in the e-mail with this step."),
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ClaimStatus.choices)
        self.fields["to"].choices = [
            (status, labels[status]) for status in sorted(CLAIM_TRANSITIONS[claim.status])
        ]


@admin.register(WarrantyClaim)
class WarrantyClaimAdmin(SimpleHistoryAdmin):
    list_display = ["number", "line", "status", "reason", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["number", "line__order__number", "line__part_number"]
    list_select_related = ["line"]
    readonly_fields = [f.name for f in WarrantyClaim._meta.concrete_fields]
    inlines = [WarrantyClaimEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:claim_id>/step/",
                self.admin_site.admin_view(self.step_view),
                name="shop_warrantyclaim_step",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "step_url": reverse("admin:shop_warrantyclaim_step", args=[object_id]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request, claim_id: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        claim = get_object_or_404(WarrantyClaim, pk=claim_id)
        form = ClaimStepForm(request.POST or None, claim=claim)
        if request.method == "POST" and form.is_valid():
            try:
                claim_transition(
                    claim=claim, to=form.cleaned_data["to"], note=form.cleaned_data["note"]
                )
            except IllegalClaimTransition:
                self.message_user(request, _("This step is not allowed now."), messages.ERROR)
            else:
                self.message_user(request, _("Claim updated; the customer is e-mailed."))
                return redirect(reverse("admin:shop_warrantyclaim_change", args=[claim.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Next step for %(number)s") % {"number": claim.number},
            "claim": claim,
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "shop/admin/warranty_claim_step.html", context)


@admin.register(SmsMessage)
class SmsMessageAdmin(OutboxAdmin):
    list_display = [
        "order",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["order__number"]
    readonly_fields = [f.name for f in SmsMessage._meta.concrete_fields]

    def resend_one(self, row, *, by) -> bool:
        return sms_message_resend(message=row, by=by)


@admin.register(ReviewInvitation)
class ReviewInvitationAdmin(admin.ModelAdmin):
    list_display = ["order", "provider", "provider_reference", "created_at"]
    search_fields = ["order__number"]
    readonly_fields = [f.name for f in ReviewInvitation._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
