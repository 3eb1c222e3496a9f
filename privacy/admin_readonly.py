"""One mixin for admin pages that only show: ledgers, logs, receipts, statistics."""


class ReadOnlyAdminMixin:
    """Staff may look, never add, change or delete. Put it before `admin.ModelAdmin`."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
