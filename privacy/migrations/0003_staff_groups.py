"""The two staff roles. Their permissions are granted by privacy.roles after every
migrate, because the shop's permissions may not exist yet at this point."""

from django.db import migrations

GROUPS = ("Shop staff", "Privacy Officer")


def groups_create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def groups_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("privacy", "0002_consent_security_history"),
    ]

    operations = [migrations.RunPython(groups_create, groups_delete)]
