from django.db import migrations, models


def fill_euro_prices(apps, schema_editor):
    """Existing modules get a starting France price (1.16 euro to the pound, ending in
    ,99) that staff review; from now on each market's price is set on its own."""
    for name in ("Module", "HistoricalModule"):
        model = apps.get_model("shop", name)
        for row in model.objects.only("pk", "price_pence").iterator():
            cents = max(row.price_pence * 116 // 100 // 100 * 100 + 99, 599)
            model.objects.filter(pk=row.pk).update(price_eur_cents=cents)


class Migration(migrations.Migration):
    dependencies = [("shop", "0010_phone_numbers_e164")]

    operations = [
        migrations.AddField(
            model_name="module",
            name="price_eur_cents",
            field=models.PositiveIntegerField(
                null=True, verbose_name="price in euro cents, VAT included"
            ),
        ),
        migrations.AddField(
            model_name="historicalmodule",
            name="price_eur_cents",
            field=models.PositiveIntegerField(
                null=True, verbose_name="price in euro cents, VAT included"
            ),
        ),
        migrations.RunPython(fill_euro_prices, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="module",
            name="price_eur_cents",
            field=models.PositiveIntegerField(verbose_name="price in euro cents, VAT included"),
        ),
        migrations.AlterField(
            model_name="historicalmodule",
            name="price_eur_cents",
            field=models.PositiveIntegerField(verbose_name="price in euro cents, VAT included"),
        ),
        migrations.AddConstraint(
            model_name="module",
            constraint=models.CheckConstraint(
                condition=models.Q(price_eur_cents__gt=0), name="module_price_eur_positive"
            ),
        ),
    ]
