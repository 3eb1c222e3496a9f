"""Writing and clearing a whole catalog at once, for the demo catalog's hundreds of
thousands of rows: no per-row save, signal or history write.

- rows_write(): PostgreSQL gets the rows through COPY (one stream, no SQL to build per
  row); other databases through bulk_create in batches.
- history_rows_write(): every history row of a bulk write or a bulk delete in one
  INSERT ... SELECT from the catalog table itself, the same rows simple-history would
  have written one by one, stamped with one time and one change reason.
- The callers bump the catalog version once (the per-row signals that would do it are
  not sent).
"""

from itertools import batched

from django.db import connection
from django.utils import timezone

BATCH_SIZE = 2000
HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


def _quoted(name):
    return connection.ops.quote_name(name)


def _written_fields(model):
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _copy(model, objects):
    fields = _written_fields(model)
    columns = ", ".join(_quoted(field.column) for field in fields)
    sql = f"COPY {_quoted(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for instance in objects:
            # pre_save() as bulk_create calls it: auto_now_add times and the like.
            copy.write_row(
                [
                    field.get_db_prep_save(field.pre_save(instance, True), connection)
                    for field in fields
                ]
            )


def rows_write(model, objects) -> None:
    """Insert `objects` (unsaved instances of `model`, an iterable consumed once)."""
    if connection.vendor == "postgresql":
        _copy(model, objects)
        return
    for batch in batched(objects, BATCH_SIZE):
        model.objects.bulk_create(batch)


def last_id(model) -> int:
    """The highest primary key of `model` now (0 for an empty table)."""
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def history_rows_write(model, *, history_type: str, reason: str, after_id: int = 0) -> None:
    """One history row of `history_type` ("+" created, "-" deleted) for every row of
    `model` whose primary key is above `after_id`, as simple-history would write it
    for a save or a delete without a user."""
    history = model.history.model
    copied = [field for field in history._meta.concrete_fields if field.name not in HISTORY_FIELDS]
    source_columns = {field.column for field in model._meta.concrete_fields}
    unknown = [field.column for field in copied if field.column not in source_columns]
    if unknown:
        raise ValueError(f"{history._meta.db_table} has columns {model.__name__} lacks: {unknown}")
    columns = [_quoted(field.column) for field in copied]
    fixed = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    primary_key = _quoted(model._meta.pk.column)
    sql = (
        f"INSERT INTO {_quoted(history._meta.db_table)} "  # noqa: S608 - names from the models
        f"({', '.join(columns + [_quoted(name) for name in fixed])}) "
        f"SELECT {', '.join(columns)}, %s, %s, %s, NULL "
        f"FROM {_quoted(model._meta.db_table)} WHERE {primary_key} > %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), reason, history_type, after_id])


def rows_delete(model) -> None:
    """Delete every row of `model` in one statement (no signal, no history: callers
    write the deletion history first and check nothing protected refers to the rows)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_quoted(model._meta.db_table)}")  # noqa: S608 - a model's table


GIN_INDEXES = """
SELECT index.indexrelid FROM pg_index index
JOIN pg_class class ON class.oid = index.indexrelid JOIN pg_am method ON method.oid = class.relam
WHERE index.indrelid = %s::regclass AND method.amname = 'gin'
"""


def tables_settle(*models) -> None:
    """After a bulk write on PostgreSQL: the rows waiting in each GIN index's pending
    list (the trigram index) merged into it, which every search would otherwise read
    through, and the tables ANALYZEd, so the planner knows their new size at once
    (autovacuum does both, but only some time after the commit)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = _quoted(model._meta.db_table)
            cursor.execute(GIN_INDEXES, [table])
            for (index,) in cursor.fetchall():
                cursor.execute("SELECT gin_clean_pending_list(%s)", [index])
            cursor.execute(f"ANALYZE {table}")
