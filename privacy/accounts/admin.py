"""Staff views of accounts and the security log.

Encrypted personal fields are read-only here (customers edit their own details; the
Privacy Officer corrects them through a privacy request), the log is read-only
altogether, and opening a customer's record is written to their security log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from privacy.accounts.services import security_event_record
from privacy.admin_readonly import ReadOnlyAdminMixin
from privacy.models import SecurityEvent, SecurityEventKind, User


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ("email", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email",)  # names are encrypted: they cannot be searched
    ordering = ("email",)
    readonly_fields = ("first_name", "last_name", "phone", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details (encrypted)"), {"fields": ("first_name", "last_name", "phone")}),
        (_("Preferences"), {"fields": ("language",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._log_view(request, object_id, response, detail="record")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._log_view(request, object_id, response, detail="history")
        return response

    def _log_view(self, request, object_id, response, *, detail):
        """Staff looking at someone else's account is written to that account's log."""
        if request.method != "GET" or response.status_code != 200:
            return
        customer = self.get_object(request, object_id)
        if customer is not None and customer.pk != request.user.pk:
            security_event_record(
                kind=SecurityEventKind.STAFF_VIEW,
                user=customer,
                actor=request.user,
                request=request,
                detail=detail,
            )


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "user", "actor")
    list_filter = ("kind",)
    search_fields = ("user__email",)
    list_select_related = ("user", "actor")
    date_hierarchy = "created_at"
    fields = (
        "created_at",
        "kind",
        "user",
        "actor",
        "attempted_email",
        "ip_address",
        "ip_shortened",
        "user_agent",
        "detail",
    )
