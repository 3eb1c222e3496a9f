from django.contrib.admin.apps import AdminConfig


class OfftekAdminConfig(AdminConfig):
    """The Django admin, with the site that demands MFA from staff."""

    default_site = "offtek.admin_site.StaffAdminSite"
