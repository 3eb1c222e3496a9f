"""Staff views of the consent ledger (read-only) and the newsletters sent to customers
who agreed to marketing e-mail."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.admin_readonly import ReadOnlyAdminMixin
from privacy.consent import marketing
from privacy.models import ConsentRecord, Newsletter


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "purpose", "granted", "source", "policy_version", "created_at")
    list_filter = ("purpose", "granted", "source", "policy_version")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    date_hierarchy = "created_at"


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ("subject_en", "created_at", "sent_at", "recipients")
    readonly_fields = ("sent_at", "recipients")
    actions = ["send_newsletters"]

    @admin.action(description=_("Send to every customer who agreed to marketing e-mail"))
    def send_newsletters(self, request, queryset):
        for newsletter in queryset:
            if newsletter.sent_at is not None:
                self.message_user(
                    request,
                    _("“%(subject)s” was already sent: not sent again.")
                    % {"subject": newsletter.subject_en},
                    messages.WARNING,
                )
                continue
            count = marketing.newsletter_send(newsletter=newsletter)
            self.message_user(
                request,
                ngettext(
                    "“%(subject)s” is on its way to %(count)d customer.",
                    "“%(subject)s” is on its way to %(count)d customers.",
                    count,
                )
                % {"subject": newsletter.subject_en, "count": count},
            )
