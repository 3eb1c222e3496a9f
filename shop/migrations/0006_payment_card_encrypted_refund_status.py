"""Card details and checks on a payment are encrypted at rest; a payment can be
processing (and is never "cancelled": nothing set it); refunds have a status.

The card fields are copied into encrypted columns and the plain ones dropped, so the
values already stored survive (altering the column in place would keep plain bytes
that the encrypted field cannot read)."""

import django_cryptography.fields
from django.db import migrations, models

CARD_FIELDS = {
    "card_brand": ("card brand", 20),
    "card_last4": ("card last four digits", 4),
    "card_country": ("card country", 2),
    "cvc_check": ("CVC check", 16),
    "postcode_check": ("postcode check", 16),
    "risk_level": ("risk level", 16),
}


def _encrypted(label: str, max_length: int):
    return django_cryptography.fields.encrypt(
        models.CharField(blank=True, max_length=max_length, verbose_name=label)
    )


def card_fields_copy(apps, schema_editor):
    Payment = apps.get_model("shop", "Payment")
    for payment in Payment.objects.all().iterator():
        for name in CARD_FIELDS:
            setattr(payment, f"{name}_encrypted", getattr(payment, name))
        payment.save(update_fields=[f"{name}_encrypted" for name in CARD_FIELDS])


def card_fields_copy_back(apps, schema_editor):
    Payment = apps.get_model("shop", "Payment")
    for payment in Payment.objects.all().iterator():
        for name in CARD_FIELDS:
            setattr(payment, name, getattr(payment, f"{name}_encrypted"))
        payment.save(update_fields=list(CARD_FIELDS))


def quiet_refunds_mark(apps, schema_editor):
    # Refunds of a duplicate payment, or of a payment that came after the stock was
    # gone, never counted towards their order's refunded total.
    Refund = apps.get_model("shop", "Refund")
    for reason in ("duplicate payment", "stock gone"):
        Refund.objects.filter(reason__startswith=reason).update(counts_towards_order=False)


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0005_sales_statistics"),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name="payment",
                name=f"{name}_encrypted",
                field=_encrypted(label, max_length),
            )
            for name, (label, max_length) in CARD_FIELDS.items()
        ],
        migrations.RunPython(card_fields_copy, card_fields_copy_back),
        *[
            migrations.RemoveField(model_name="payment", name=name)
            for name in CARD_FIELDS
        ],
        *[
            migrations.RenameField(
                model_name="payment", old_name=f"{name}_encrypted", new_name=name
            )
            for name in CARD_FIELDS
        ],
        migrations.AlterField(
            model_name="payment",
            name="status",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("requires_action", "Awaiting 3-D Secure"),
                    ("processing", "Processing"),
                    ("succeeded", "Succeeded"),
                    ("failed", "Failed"),
                ],
                default="created",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="refund",
            name="failure_reason",
            field=models.CharField(blank=True, max_length=100, verbose_name="failure reason"),
        ),
        migrations.AddField(
            model_name="refund",
            name="counts_towards_order",
            field=models.BooleanField(
                default=True,
                help_text="False for money given back on a payment that never paid the order.",
                verbose_name="counts towards the order",
            ),
        ),
        migrations.AddField(
            model_name="refund",
            name="status",
            field=models.CharField(
                choices=[("pending", "Pending"), ("succeeded", "Succeeded"), ("failed", "Failed")],
                default="succeeded",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="refund",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(quiet_refunds_mark, migrations.RunPython.noop),
    ]
