"""Field encryption keys: which key material the data is under, and rotating it.

django-cryptography encrypts a field value (pickled) as ``HMAC-SHA256(SECRET_KEY)``
over ``AES-CBC(PBKDF2(CRYPTOGRAPHY_KEY, CRYPTOGRAPHY_SALT))``: both keys and the salt
are needed to read a value back, so changing any of them without re-encrypting loses
every encrypted field. ``keys_rotate`` decrypts each stored value with the old key
material and encrypts it with the current one, table by table (live and history
tables, found through the app registry), in batches; values that the current keys
already open are skipped, so an interrupted run can simply be started again.
"""

import functools
import pickletools
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.apps import apps
from django.conf import settings
from django.core.signing import BadSignature
from django.db import connection, transaction
from django.utils.encoding import force_bytes
from django_cryptography.core.signing import FernetSigner
from django_cryptography.fields import EncryptedMixin
from django_cryptography.utils.crypto import FernetBytes, InvalidToken

from privacy.purposes import acting_for

KDF_ITERATIONS = 30000  # as django_cryptography.conf


class KeyMismatch(Exception):
    """Stored data opens with neither the old nor the current key material."""


@dataclass(frozen=True)
class KeyMaterial:
    cryptography_key: str | bytes
    secret_key: str
    salt: str | bytes

    def cipher(self) -> FernetBytes:
        key = self.cryptography_key
        if not (isinstance(key, bytes) and len(key) == hashes.SHA256.digest_size):
            # A configured key; bytes of digest size are already derived by appconf.
            kdf = PBKDF2HMAC(
                algorithm=hashes.SHA256(),
                length=hashes.SHA256.digest_size,
                salt=force_bytes(self.salt),
                iterations=KDF_ITERATIONS,
            )
            key = kdf.derive(force_bytes(key or self.secret_key))
        return FernetBytes(key, FernetSigner(key=self.secret_key))


def key_material_current() -> KeyMaterial:
    return KeyMaterial(settings.CRYPTOGRAPHY_KEY, settings.SECRET_KEY, settings.CRYPTOGRAPHY_SALT)


def is_pickle(plaintext: bytes) -> bool:
    """True if ``plaintext`` is one complete pickle (parsed, never executed)."""
    try:
        for opcode, _, position in pickletools.genops(plaintext):
            if opcode.name == "STOP":
                return position == len(plaintext) - 1
    except Exception:  # noqa: BLE001 - any parse failure means "not a pickle"
        return False
    return False


def opens(cipher: FernetBytes, token: bytes) -> bytes | None:
    """The plaintext if ``cipher`` opens ``token``, else None.

    The signature alone does not prove the key: django-cryptography signs with
    SECRET_KEY only, so after a CRYPTOGRAPHY_KEY change the signature still matches
    and AES decrypts to noise (which passes the padding check about once in 256).
    The plaintext must also be the pickle the field wrote.
    """
    try:
        plaintext = cipher.decrypt(token)
    except (InvalidToken, BadSignature):
        return None
    return plaintext if is_pickle(plaintext) else None


@dataclass(frozen=True)
class EncryptedTable:
    model: type
    columns: tuple

    @property
    def table(self):
        return self.model._meta.db_table

    @property
    def pk_column(self):
        return self.model._meta.pk.column


@functools.cache
def encrypted_field_names(model) -> tuple[str, ...]:
    """The model's encrypted fields: what a page that shows none of them can leave out
    of its query (``.defer(*encrypted_field_names(Order))``), so that nothing it does
    not show is decrypted."""
    return tuple(f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin))


def encrypted_tables() -> list[EncryptedTable]:
    """Every table with an encrypted column, history tables included."""
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        columns = tuple(
            f.column for f in meta.concrete_fields if isinstance(f, EncryptedMixin) and not f.key
        )
        if columns:
            tables.append(EncryptedTable(model, columns))
    return tables


@dataclass
class RotationReport:
    dry_run: bool
    rotated: dict = field(default_factory=dict)
    current: dict = field(default_factory=dict)

    def add(self, table, *, rotated=0, current=0):
        self.rotated[table] = self.rotated.get(table, 0) + rotated
        self.current[table] = self.current.get(table, 0) + current


def _reencrypt(new: FernetBytes, token: bytes, plaintext: bytes) -> bytes:
    # Keep the original timestamp so a field's time-to-live still counts from it.
    (timestamp,) = struct.unpack(">Q", token[1:9])
    return new.encrypt_at_time(plaintext, timestamp)


@acting_for("key-rotation")  # raw SQL: it opens no field through the models
def keys_rotate(
    *,
    old: KeyMaterial,
    batch_size: int = 500,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> RotationReport:
    """Re-encrypt every encrypted value from ``old`` key material to the current one."""
    new_cipher = key_material_current().cipher()
    old_cipher = old.cipher()
    report = RotationReport(dry_run=dry_run)
    quote = connection.ops.quote_name
    for table in encrypted_tables():
        pk, columns = quote(table.pk_column), [quote(c) for c in table.columns]
        select = f"SELECT {pk}, {', '.join(columns)} FROM {quote(table.table)}"  # noqa: S608
        report.add(table.table)
        last_pk = None
        while True:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    if last_pk is None:
                        cursor.execute(f"{select} ORDER BY {pk} LIMIT %s", [batch_size])
                    else:
                        cursor.execute(
                            f"{select} WHERE {pk} > %s ORDER BY {pk} LIMIT %s",
                            [last_pk, batch_size],
                        )
                    rows = cursor.fetchall()
                if not rows:
                    break
                for row in rows:
                    last_pk = row[0]
                    changes = {}
                    for column, value in zip(table.columns, row[1:], strict=True):
                        if value is None:
                            continue
                        token = bytes(value)
                        if opens(new_cipher, token) is not None:
                            report.add(table.table, current=1)
                            continue
                        plaintext = opens(old_cipher, token)
                        if plaintext is None:
                            raise KeyMismatch(
                                f"{table.table}.{column} (row {last_pk}) opens with neither the "
                                "old nor the current key material: check the old keys given "
                                "and CRYPTOGRAPHY_KEY, SECRET_KEY and CRYPTOGRAPHY_SALT."
                            )
                        changes[column] = _reencrypt(new_cipher, token, plaintext)
                        report.add(table.table, rotated=1)
                    if changes and not dry_run:
                        assignments = ", ".join(f"{quote(c)} = %s" for c in changes)
                        with connection.cursor() as cursor:
                            cursor.execute(
                                f"UPDATE {quote(table.table)} SET {assignments} "  # noqa: S608
                                f"WHERE {pk} = %s",
                                [*changes.values(), last_pk],
                            )
            if progress:
                progress(table.table, len(rows))
    return report


def undecryptable_tables(*, batch_size: int = 1000) -> list[str]:
    """Columns holding a value the current keys cannot open, with how many: every row
    of every encrypted column, read in batches in primary-key order (not a sample)."""
    cipher = key_material_current().cipher()
    quote = connection.ops.quote_name
    failing = []
    for table in encrypted_tables():
        pk, columns = quote(table.pk_column), [quote(c) for c in table.columns]
        select = f"SELECT {pk}, {', '.join(columns)} FROM {quote(table.table)}"  # noqa: S608
        bad = dict.fromkeys(table.columns, 0)
        last_pk = None
        while True:
            with connection.cursor() as cursor:
                if last_pk is None:
                    cursor.execute(f"{select} ORDER BY {pk} LIMIT %s", [batch_size])
                else:
                    cursor.execute(
                        f"{select} WHERE {pk} > %s ORDER BY {pk} LIMIT %s", [last_pk, batch_size]
                    )
                rows = cursor.fetchall()
            if not rows:
                break
            last_pk = rows[-1][0]
            for row in rows:
                for column, value in zip(table.columns, row[1:], strict=True):
                    if value is not None and opens(cipher, bytes(value)) is None:
                        bad[column] += 1
        failing += [f"{table.table}.{column} ({n} values)" for column, n in bad.items() if n]
    return failing
