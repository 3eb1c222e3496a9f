"""The standard VAT rates in force: the United Kingdom's 20 % since 4 January 2011 and
France's 20 % since 1 January 2014 (a later change is a new row from its first day)."""

import datetime

from django.db import migrations

RATES = [
    ("GB", 2000, datetime.date(2011, 1, 4)),
    ("FR", 2000, datetime.date(2014, 1, 1)),
]


def rates_add(apps, schema_editor):
    VatRate = apps.get_model("shop", "VatRate")
    for country, rate_bp, valid_from in RATES:
        VatRate.objects.get_or_create(
            country=country, valid_from=valid_from, defaults={"rate_bp": rate_bp}
        )


def rates_remove(apps, schema_editor):
    VatRate = apps.get_model("shop", "VatRate")
    for country, _rate, valid_from in RATES:
        VatRate.objects.filter(country=country, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("shop", "0011_invoices_and_vat")]
    operations = [migrations.RunPython(rates_add, rates_remove)]
