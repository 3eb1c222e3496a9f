"""Customers' phone numbers typed before validation existed, rewritten in E.164 where
they can be read as a valid number (British first, then French); the others are left
as they are. Self-contained: it does not import the app's code, which may change."""

import phonenumbers
from django.db import migrations


def e164(raw, regions=("GB", "FR")):
    text = (raw or "").strip()
    if not text:
        return raw
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return raw
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return raw


def normalise(apps, schema_editor):
    # Every row is read: the fields are encrypted, so the database cannot filter on them.
    User = apps.get_model("privacy", "User")
    for user in User.objects.only("pk", "phone").iterator():
        number = e164(user.phone)
        if number != user.phone:
            user.phone = number
            user.save(update_fields=["phone"])


class Migration(migrations.Migration):
    dependencies = [("privacy", "0011_outgoing_email_key_canary_cache")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
