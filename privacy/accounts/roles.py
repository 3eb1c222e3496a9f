"""Staff roles as data: which permissions each group holds, by app label and action.

Groups are created by a data migration; their permissions are (re)granted after every
``migrate`` (post_migrate), because other apps' permissions only exist once those apps
are migrated. Privacy never imports the shop: it names the shop's app label only.
"""

from django.contrib.auth.management import create_permissions
from django.db import transaction

SHOP_STAFF = "Shop staff"
PRIVACY_OFFICER = "Privacy Officer"

# group -> {app_label or "app_label.model": actions}.
STAFF_ROLES = {
    # Catalog, stock, orders, dispatch, refunds. No privacy ledgers, security log,
    # privacy requests or customer accounts.
    SHOP_STAFF: {"shop": ("add", "change", "delete", "view")},
    # Privacy requests, ledgers, security log, customer records; the shop read-only
    # (they need orders to answer requests, and must not change prices or stock).
    # They also record personal data breaches in the register.
    PRIVACY_OFFICER: {
        "privacy": ("change", "view"),
        "privacy.personaldatabreach": ("add",),
        "shop": ("view",),
    },
}


def role_permissions(group_name: str):
    from django.contrib.auth.models import Permission

    permissions = Permission.objects.none()
    for scope, actions in STAFF_ROLES[group_name].items():
        app_label, _dot, model = scope.partition(".")
        where = {"content_type__app_label": app_label}
        if model:
            where["content_type__model"] = model
        for action in actions:
            permissions = permissions | Permission.objects.filter(
                **where, codename__startswith=f"{action}_"
            )
    return permissions


@transaction.atomic
def staff_roles_sync() -> None:
    """Give each role exactly its permissions (nothing more, nothing less)."""
    from django.contrib.auth.models import Group

    for group_name in STAFF_ROLES:
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(role_permissions(group_name))


def on_post_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    from django.apps import apps as global_apps

    if sender.name != "privacy":
        return
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    staff_roles_sync()
