"""Staff views of accounts and the security log.

Encrypted personal fields are read-only here (customers edit their own details; the
Privacy Officer corrects them through a privacy request), the log is read-only
altogether. Only a superuser changes privileges, the e-mail address or a password. Who
may open what is the role matrix (privacy.role_matrix, enforced by privacy.admin_roles),
which also writes staff opening a customer's record to that customer's security log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from privacy.admin_readonly import ReadOnlyAdminMixin
from privacy.models import SecurityEvent, User


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

    # Only a superuser grants privileges or touches a password: anyone else who may open
    # an account sees these read-only (or not at all), and a forged POST of them is ignored.
    privileged_fields = (
        "email",
        "password",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
    )
    staff_fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Personal details (encrypted)"), {"fields": ("first_name", "last_name", "phone")}),
        (_("Preferences"), {"fields": ("language",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.staff_fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + tuple(f for f in self.privileged_fields if f not in readonly)

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def user_change_password(self, request, id, form_url=""):
        """Setting someone's password is taking over their account: superusers only."""
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


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
