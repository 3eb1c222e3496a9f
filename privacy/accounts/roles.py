"""Staff roles: the groups, and their permissions read off the role matrix
(privacy.role_matrix), so a group holds exactly what the admin lets it do.

Groups are created by a data migration; their permissions are (re)granted after every
``migrate`` (post_migrate), because other apps' permissions only exist once those apps
are migrated. Privacy never imports the shop: it names the shop's app label only.
"""

from django.contrib.auth.management import create_permissions
from django.db import transaction

from privacy.role_matrix import PRIVACY_OFFICER, SHOP_STAFF, group_codenames

STAFF_ROLES = (SHOP_STAFF, PRIVACY_OFFICER)


def role_permissions(group_name: str):
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    query = Q(pk__in=[])
    for app_label, codenames in group_codenames(group_name).items():
        query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return Permission.objects.filter(query)


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
