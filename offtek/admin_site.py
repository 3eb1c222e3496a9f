from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _


class StaffAdminSite(admin.AdminSite):
    """The admin: reached only through allauth's rate-limited login, only by staff who
    have set up two-factor authentication, and governed by the role matrix
    (privacy.role_matrix): every model admin registered here answers from it, and so
    do the site's own pages."""

    # Django's own pages of the site; any other page of the site needs a matrix row.
    django_pages = frozenset(
        {
            "index",
            "login",
            "logout",
            "password_change",
            "password_change_done",
            "autocomplete",
            "jsi18n",
            "view_on_site",
            "app_list",
        }
    )

    site_header = _("Offtek staff")
    site_title = _("Offtek staff")
    index_title = _("Shop administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin on this site answers from the role matrix."""
        from privacy.admin_roles import matrix_admin_class

        admin_class = matrix_admin_class(admin_class or admin.ModelAdmin)
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

    def get_urls(self):
        from privacy.admin_roles import pages_guarded

        return pages_guarded(self._urls(), self, skip=self.django_pages)

    def _urls(self):
        from privacy.records import views

        return [
            path(
                "privacy/record-of-processing/",
                self.admin_view(views.processing_record),
                name="privacy_processing_record",
            ),
            path(
                "privacy/record-of-processing/csv/",
                self.admin_view(views.processing_record_download),
                name="privacy_processing_record_download",
            ),
            *super().get_urls(),
        ]

    def get_app_list(self, request, app_label=None):
        """The record of processing is listed with the privacy app's models, for those
        who may read it."""
        from privacy.records.views import RECORD_PERMISSION

        app_list = super().get_app_list(request, app_label)
        if not request.user.has_perm(RECORD_PERMISSION):
            return app_list
        for app in app_list:
            if app["app_label"] == "privacy":
                app["models"].append(
                    {
                        "name": _("Record of processing activities"),
                        "object_name": "ProcessingRecord",
                        "admin_url": reverse(
                            "admin:privacy_processing_record", current_app=self.name
                        ),
                        "add_url": None,
                        "view_only": True,
                        "perms": {"view": True},
                    }
                )
        return app_list
