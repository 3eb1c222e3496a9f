"""Key rotation reaches every encrypted value in the database: a row in every table
with an encrypted column (a customer's whole life, plus what it leaves empty), then
every column of every table the database reports is read for values still under the
old keys."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from privacy.emails import email_send
from privacy.encryption import KeyMaterial, encrypted_tables, opens
from privacy.scan import table_names
from tests.test_raw_database import START, _client, lifecycle

pytestmark = pytest.mark.django_db


def _values_under(cipher) -> list[str]:
    """table.column of every stored value that ``cipher`` opens, by introspection."""
    found = []
    quote = connection.ops.quote_name
    for table in table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, memoryview | bytes) and opens(cipher, bytes(value)):
                        found.append(f"{table}.{column}")
    return found


def _rows(table) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def test_rotation_reencrypts_a_row_of_every_encrypted_table(
    raw_settings, django_capture_on_commit_callbacks
):
    import time_machine

    with time_machine.travel(START, tick=True):
        lifecycle(_client(), django_capture_on_commit_callbacks)
    # What the lifecycle leaves empty: an e-mail still waiting in the queue.
    email_send(
        to="waiting@example.org",
        template="privacy/emails/request_verify",
        context={"verify_url": "https://shop.test/v/"},
        language="en",
    )
    empty = [table.table for table in encrypted_tables() if not _rows(table.table)]
    assert empty == [], f"add a row to these tables: {empty}"

    old = KeyMaterial(
        raw_settings.CRYPTOGRAPHY_KEY, raw_settings.SECRET_KEY, raw_settings.CRYPTOGRAPHY_SALT
    )
    before = set(_values_under(old.cipher()))
    assert {f"{t.table}.{c}" for t in encrypted_tables() for c in t.columns} <= before

    raw_settings.CRYPTOGRAPHY_KEY = "a-brand-new-cryptography-key"
    call_command("rotate_keys", old_cryptography_key=old.cryptography_key, stdout=io.StringIO())
    assert _values_under(old.cipher()) == []
    new = KeyMaterial(
        raw_settings.CRYPTOGRAPHY_KEY, raw_settings.SECRET_KEY, raw_settings.CRYPTOGRAPHY_SALT
    )
    assert set(_values_under(new.cipher())) == before
