"""Phone numbers in address books and orders typed before validation existed,
rewritten in E.164 where they can be read as a valid number (the address's country
first, then British, then French); the others are left as they are. Self-contained:
it does not import the app's code, which may change."""

import phonenumbers
from django.db import migrations


def e164(raw, country):
    text = (raw or "").strip()
    if not text:
        return raw
    for region in dict.fromkeys(r for r in (country, "GB", "FR") if r):
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return raw
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return raw


def normalise(apps, schema_editor):
    # Every row is read: the fields are encrypted, so the database cannot filter on them.
    Address = apps.get_model("shop", "Address")
    for address in Address.objects.only("pk", "phone", "country").iterator():
        number = e164(address.phone, address.country)
        if number != address.phone:
            address.phone = number
            address.save(update_fields=["phone"])
    Order = apps.get_model("shop", "Order")
    orders = Order.objects.only("pk", "delivery_phone", "delivery_country")
    for order in orders.iterator():
        number = e164(order.delivery_phone, order.delivery_country)
        if number != order.delivery_phone:
            order.delivery_phone = number
            order.save(update_fields=["delivery_phone"])


class Migration(migrations.Migration):
    dependencies = [("shop", "0009_catalog_facts_and_demo_flag")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
