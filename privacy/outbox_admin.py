"""Staff view of the e-mail outbox: what is queued, retrying, sent or dead, and a
"Re-send" action for dead e-mails. The recipient and the context stay encrypted and
are not shown; the customer it is for is."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.emails import outgoing_email_resend
from privacy.models import OutboxStatus, OutgoingEmail


def resend_report(modeladmin, request, resent: int, selected: int) -> None:
    """What a "Re-send" action did, for staff (shared by every outbox's admin)."""
    modeladmin.message_user(
        request,
        ngettext("%(count)d message queued again.", "%(count)d messages queued again.", resent)
        % {"count": resent},
        messages.SUCCESS,
    )
    if resent < selected:
        modeladmin.message_user(
            request, _("Only dead messages can be re-sent; the others were left as they are.")
        )


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = [
        "template",
        "user",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "template"]
    fields = [
        "user",
        "template",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "last_error",
        "idempotency_key",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields
    list_select_related = ["user"]
    actions = ["resend_action"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Re-send (dead messages)"), permissions=["change"])
    def resend_action(self, request, queryset):
        dead = list(queryset.filter(status=OutboxStatus.DEAD))
        resent = sum(outgoing_email_resend(email=email, by=request.user) for email in dead)
        resend_report(self, request, resent, queryset.count())
