"""Staff view of the retention runs (read-only)."""

from django.contrib import admin

from privacy.admin_readonly import ReadOnlyAdminMixin
from privacy.models import RetentionRun


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every run of `manage.py retention`: the proof that the schedule is applied."""

    list_display = ("started_at", "now", "applied", "status", "finished_at")
    list_filter = ("status", "applied")
    date_hierarchy = "started_at"
    fields = ("started_at", "finished_at", "now", "applied", "status", "rules", "error")
