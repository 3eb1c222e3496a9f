from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _


class StaffAdminSite(admin.AdminSite):
    """The admin: reached only through allauth's rate-limited login, only by staff who
    have set up two-factor authentication, and governed by the role matrix."""

    site_header = _("Offtek staff")
    site_title = _("Offtek staff")
    index_title = _("Shop administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin on this site answers from the role matrix."""
        from django.contrib.admin import ModelAdmin

        from privacy.admin_roles import matrix_admin_class

        admin_class = matrix_admin_class(admin_class or ModelAdmin)
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        return super().has_permission(request) and is_mfa_enabled(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not is_mfa_enabled(user):
            messages.warning(
                request,
                _("Staff accounts must set up two-factor authentication before using the admin."),
            )
            return redirect("mfa_activate_totp")
        return secure_admin_login(super().login)(request, extra_context)
