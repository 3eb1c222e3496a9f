"""The key canary: a known value encrypted when the database is migrated.

A wrong ``CRYPTOGRAPHY_KEY`` (or ``SECRET_KEY``, ``CRYPTOGRAPHY_SALT``) must stop
everything before it writes a value that the right key cannot read. The canary row
(``KeyCanary``) is written at migrate time under the keys in force; afterwards:

- ``manage.py check --database default`` fails if the keys cannot open it (and reads
  every encrypted value of every table, see ``privacy.checks``);
- every encrypted field encrypts through ``GuardedCipher``, which opens the canary once
  per process and key before the first value it encrypts, and refuses (raises
  ``KeyCanaryMismatch``, naming the variable) when it cannot: nothing is written.

``rotate_keys`` re-encrypts the canary with the rest (its table is found like any other).
"""

import pickle
import pickletools
import threading

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from django_cryptography.fields import EncryptedMixin

from privacy.encryption import key_material_current, opens

CANARY_VALUE = "offtek-key-canary"
CANARY_TABLE = "privacy_keycanary"

KEY_CANARY_MESSAGE = (
    "CRYPTOGRAPHY_KEY (with SECRET_KEY and CRYPTOGRAPHY_SALT) cannot read the key canary "
    "written when the database was migrated: these are not the keys the data is under. "
    "Nothing was written. Restore the previous values, or run `manage.py rotate_keys` "
    "with the old ones."
)


class KeyCanaryMismatch(ImproperlyConfigured):
    """The configured keys cannot open the canary."""


def _canary_token() -> bytes | None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('value')} FROM {quote(CANARY_TABLE)} "  # noqa: S608
            f"ORDER BY {quote('id')} LIMIT 1"
        )
        row = cursor.fetchone()
    return bytes(row[0]) if row else None


def canary_opens(cipher) -> bool | None:
    """True if ``cipher`` opens the canary, False if not, None if there is none yet."""
    try:
        token = _canary_token()
    except DatabaseError:
        return None  # not migrated yet
    if token is None:
        return None
    plaintext = opens(cipher, token)
    return plaintext is not None and _holds_canary(plaintext)


def _holds_canary(plaintext: bytes) -> bool:
    """The pickle holds the canary's text (read with pickletools, never unpickled)."""
    return any(argument == CANARY_VALUE for _op, argument, _pos in pickletools.genops(plaintext))


def canary_write(cipher) -> None:
    """Write the canary under ``cipher`` if there is none (post_migrate)."""
    if _canary_token() is not None:
        return
    token = cipher.encrypt(pickle.dumps(CANARY_VALUE))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(CANARY_TABLE)} ({quote('value')}) VALUES (%s)",  # noqa: S608
            [connection.Database.Binary(token)],
        )


class GuardedCipher:
    """The field cipher, with the canary checked before the first encryption (once per
    process and key material: a cipher is made for each key in force)."""

    def __init__(self, cipher):
        self.cipher = cipher
        self.verified = False
        self._lock = threading.Lock()

    def _verify(self) -> None:
        if self.verified:
            return
        with self._lock:
            opened = canary_opens(self.cipher)
            if opened is False:
                raise KeyCanaryMismatch(KEY_CANARY_MESSAGE)
            # None: no canary yet (before the first migrate ends): checked next time.
            self.verified = opened is True

    def encrypt(self, data: bytes) -> bytes:
        self._verify()
        return self.cipher.encrypt(data)

    def __getattr__(self, name):
        return getattr(self.cipher, name)


def encrypted_fields_rebind() -> None:
    """Point every encrypted field at the key material now in the settings (fields
    read their keys once, when models are imported), behind the key canary's guard."""
    # One guard for all fields: the canary is opened once per process and key material.
    cipher = GuardedCipher(key_material_current().cipher())
    for model in apps.get_models(include_auto_created=True):
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, EncryptedMixin) and not model_field.key:
                model_field._fernet = cipher


def canary_startup_check() -> None:
    """At start (wsgi/asgi): refuse to serve under keys that cannot open the canary."""
    if canary_opens(key_material_current().cipher()) is False:
        raise KeyCanaryMismatch(KEY_CANARY_MESSAGE)


def post_migrate_canary(sender, using="default", **kwargs):
    if sender.name != "privacy" or using != connection.alias:
        return
    canary_write(key_material_current().cipher())
