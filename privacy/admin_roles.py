"""The role matrix, enforced: every ModelAdmin registered on the staff site is given
this mixin (StaffAdminSite.register), so its permission hooks, editable fields,
actions, history reverts and custom pages all answer from privacy.role_matrix.

A permission is granted only when the matrix grants it AND the ModelAdmin itself would
(a read-only admin stays read-only for superusers too); the role-matrix test proves the
two agree, cell by cell.
"""

import functools
from operator import attrgetter

from django.contrib.admin.options import ActionLocation
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, reverse

from privacy import role_matrix
from privacy.accounts.services import security_event_record
from privacy.models import SecurityEventKind

STANDARD_VIEWS = ("changelist", "add", "change", "delete", "history", "simple_history")


def page_guard(view, name: str, site=None):
    """A custom admin page answers only the roles its matrix row names (and sends
    anyone who is not signed in as staff to the admin's sign-in)."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if site is not None and not site.has_permission(request):
            return redirect_to_login(
                request.get_full_path(), reverse("admin:login", current_app=site.name)
            )
        if not role_matrix.page_allowed(request.user, name):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


class RoleMatrixAdmin:
    @property
    def matrix_label(self) -> str:
        return self.model._meta.label_lower

    def matrix_grant(self, request) -> role_matrix.Grant:
        return role_matrix.grant_for(request.user, self.matrix_label)

    def has_module_permission(self, request):
        return bool(self.matrix_grant(request).actions) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.matrix_grant(request).allows("view") and super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request, *args):
        return self.matrix_grant(request).allows("add") and super().has_add_permission(
            request, *args
        )

    def has_change_permission(self, request, obj=None):
        return self.matrix_grant(request).allows("change") and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return self.matrix_grant(request).allows("delete") and super().has_delete_permission(
            request, obj
        )

    def matrix_editable_names(self) -> list[str]:
        """The model's editable fields, less those the admin leaves out of its form
        (`exclude`: shown another way, e.g. an amount with its currency)."""
        excluded = set(self.exclude or ())
        names = [
            field.name
            for field in self.model._meta.get_fields()
            if getattr(field, "concrete", False)
            and field.editable
            and not field.auto_created
            and field.name not in excluded
        ]
        return names

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        fields = self.matrix_grant(request).fields
        if fields == role_matrix.ALL:
            return readonly
        return readonly + [
            name
            for name in self.matrix_editable_names()
            if name not in fields and name not in readonly
        ]

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        """Bulk actions change things: only for a role that may change this model."""
        actions = super().get_actions(request, action_location=action_location)
        if self.matrix_grant(request).allows("change"):
            return actions
        return {name: action for name, action in actions.items() if name == "delete_selected"}

    def changelist_view(self, request, extra_context=None):
        # Some admins draw their own list page: the view right is checked here for all.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        # Editing in the list saves every list_editable column: only for ALL fields.
        if (
            request.method == "POST"
            and "_save" in request.POST
            and self.matrix_grant(request).fields != role_matrix.ALL
        ):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """The page of one old version is the form that reverts to it, which rewrites
        every field (and skips state machines): only for a role that may change every
        field of the model. The history list stays open to every role that may view."""
        grant = self.matrix_grant(request)
        if not grant.allows("change") or grant.fields != role_matrix.ALL:
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self.matrix_log_view(request, object_id, response, detail="record")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self.matrix_log_view(request, object_id, response, detail="history")
        return response

    def matrix_log_view(self, request, object_id, response, *, detail):
        """Staff opening a record about someone else is written to that person's log."""
        path = role_matrix.PERSONAL_RECORDS.get(self.matrix_label)
        if path is None or request.method != "GET" or response.status_code != 200:
            return
        record = self.get_object(request, object_id)
        if record is None:
            return
        try:
            person = attrgetter(path)(record) if path else record
        except AttributeError:
            return
        if person is not None and person.pk != request.user.pk:
            security_event_record(
                kind=SecurityEventKind.STAFF_VIEW,
                user=person,
                actor=request.user,
                request=request,
                detail=detail if path == "" else f"{self.matrix_label} {detail}",
            )

    def get_urls(self):
        """Custom pages (anything but the standard views) go through the matrix."""
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}_"
        standard = {info + view for view in STANDARD_VIEWS}
        return pages_guarded(super().get_urls(), self.admin_site, skip=standard)


def pages_guarded(urls, site, *, skip) -> list:
    """Each named page of `urls` not in `skip`, behind its matrix row."""
    guarded = []
    for pattern in urls:
        if isinstance(pattern, URLPattern) and pattern.name and pattern.name not in skip:
            pattern = URLPattern(
                pattern.pattern,
                page_guard(pattern.callback, pattern.name, site),
                pattern.default_args,
                pattern.name,
            )
        guarded.append(pattern)
    return guarded


def matrix_admin_class(admin_class):
    """The ModelAdmin class, governed by the matrix."""
    if issubclass(admin_class, RoleMatrixAdmin):
        return admin_class
    return type(
        admin_class.__name__,
        (RoleMatrixAdmin, admin_class),
        {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
    )
