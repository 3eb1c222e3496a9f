"""The memory finder's name indexes, on PostgreSQL only (see shop/catalog/system_names.py):
pg_trgm with a GIN trigram index on the system's name, and B-trees on its model, alone
and after its maker, for names that start with what was typed. SQLite has neither and needs none: its finder
reads the table, which is fine at development sizes."""

from django.db import migrations

INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS system_name_trigram ON shop_system "
    "USING gin ((UPPER((model_line || ' ' || model))) gin_trgm_ops)",
    'CREATE INDEX IF NOT EXISTS system_model_prefix ON shop_system ((UPPER(model) COLLATE "C"))',
    "CREATE INDEX IF NOT EXISTS system_maker_model_prefix ON shop_system "
    '(manufacturer_id, (UPPER(model) COLLATE "C"))',
]
# The extension stays: other objects in the database may use it.
DROPPED = [
    f"DROP INDEX IF EXISTS {name}"
    for name in ("system_name_trigram", "system_model_prefix", "system_maker_model_prefix")
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0018_invoices_and_vat"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(INDEXES), _on_postgresql(DROPPED), elidable=False),
    ]
