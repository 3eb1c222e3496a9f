"""Staff view of the e-mail outbox: what is queued, retrying, sent or dead, and a
"Re-send" action for dead e-mails. The recipient and the context stay encrypted and
are not shown; the customer it is for is."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.emails import outgoing_email_resend
from privacy.models import OutboxStatus, OutgoingEmail


class OutboxAdmin(admin.ModelAdmin):
    """The admin of any outbox (e-mails here, an app's own kinds of message): no row
    is added by hand, and "Re-send" queues the selected dead rows again through
    ``resend_one``, which each outbox's admin points at its service."""

    actions = ["resend_action"]

    def has_add_permission(self, request):
        return False

    def resend_one(self, row, *, by) -> bool:
        raise NotImplementedError

    @admin.action(description=_("Re-send (dead messages)"), permissions=["change"])
    def resend_action(self, request, queryset):
        dead = list(queryset.filter(status=OutboxStatus.DEAD))
        resent = sum(self.resend_one(row, by=request.user) for row in dead)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", resent)
            % {"count": resent},
            messages.SUCCESS,
        )
        if resent < queryset.count():
            self.message_user(
                request, _("Only dead messages can be re-sent; the others were left as they are.")
            )


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(OutboxAdmin):
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

    def resend_one(self, row, *, by) -> bool:
        return outgoing_email_resend(email=row, by=by)
