"""Tracking numbers encrypted at rest, in orders and their history: a new encrypted
column, filled from the old one row by row, which then goes."""

import django_cryptography.fields
from django.db import migrations, models


def tracking_numbers_encrypt(apps, schema_editor):
    for name in ("Order", "HistoricalOrder"):
        model = apps.get_model("shop", name)
        rows = model.objects.exclude(tracking_number="").only("pk", "tracking_number")
        for row in rows.iterator(chunk_size=500):
            model.objects.filter(pk=row.pk).update(tracking_number_encrypted=row.tracking_number)


def tracking_numbers_decrypt(apps, schema_editor):
    for name in ("Order", "HistoricalOrder"):
        model = apps.get_model("shop", name)
        for row in model.objects.only("pk", "tracking_number_encrypted").iterator(chunk_size=500):
            if row.tracking_number_encrypted:
                model.objects.filter(pk=row.pk).update(
                    tracking_number=row.tracking_number_encrypted
                )


def _encrypted():
    return django_cryptography.fields.encrypt(
        models.CharField(blank=True, max_length=40, verbose_name="tracking number")
    )


class Migration(migrations.Migration):
    dependencies = [("shop", "0006_payment_card_encrypted_refund_status")]

    operations = [
        migrations.AddField("order", "tracking_number_encrypted", _encrypted()),
        migrations.AddField("historicalorder", "tracking_number_encrypted", _encrypted()),
        migrations.RunPython(tracking_numbers_encrypt, tracking_numbers_decrypt),
        migrations.RemoveField("order", "tracking_number"),
        migrations.RemoveField("historicalorder", "tracking_number"),
        migrations.RenameField("order", "tracking_number_encrypted", "tracking_number"),
        migrations.RenameField("historicalorder", "tracking_number_encrypted", "tracking_number"),
    ]
