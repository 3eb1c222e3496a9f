"""Sessions encrypted whole, in the database and in the shared cache.

What a session holds (allauth's sign-in state with the e-mail address typed, flash
messages, the display name...) is personal data. The session serializer encrypts the
JSON with the field-encryption keys (``privacy.encryption``) before Django signs it, so
``django_session.session_data`` holds ciphertext; the session store puts that same
encoded string in the cache instead of Django's pickled dict, so the cache table and
Redis hold ciphertext too.

A session written under keys that were rotated since no longer opens: it reads as
empty and the visitor signs in again (Django logs the failed decode). Keys that open
nothing (the key canary fails) raise ``KeyCanaryMismatch``: a 503 page, and the operator
is told (privacy.middleware).
"""

import functools
import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends import db as db_sessions
from django.core import signing
from django.core.signing import JSONSerializer

from privacy.canary import GuardedCipher, KeyCanaryMismatch
from privacy.encryption import KeyMaterial, key_material_current

logger = logging.getLogger(__name__)


@functools.cache
def _cipher(material: KeyMaterial) -> GuardedCipher:
    return GuardedCipher(material.cipher())


class EncryptedJSONSerializer:
    """SESSION_SERIALIZER: JSON, encrypted (AES with an HMAC, as the fields are)."""

    def dumps(self, obj) -> bytes:
        return _cipher(key_material_current()).encrypt(JSONSerializer().dumps(obj))

    def loads(self, data: bytes):
        cipher = _cipher(key_material_current())
        try:
            plaintext = cipher.decrypt(data)
        except Exception:
            # Wrong keys are the operator's problem, told loudly (KeyCanaryMismatch);
            # with the right keys, it is an old session: it reads as empty.
            cipher._verify()
            raise
        return JSONSerializer().loads(plaintext)


class SessionStore(cached_db.SessionStore):
    """Django's cached_db store, keeping the encoded (encrypted) session in the cache."""

    def decode(self, session_data):
        try:
            return signing.loads(session_data, salt=self.key_salt, serializer=self.serializer)
        except KeyCanaryMismatch:
            raise  # Django's decode would swallow it into an empty session
        except Exception:  # noqa: BLE001 - as Django: logged, and the session is empty
            return super().decode(session_data)

    def load(self):
        try:
            stored = self._cache.get(self.cache_key)
        except Exception:
            logger.exception("Error reading the session from the cache (%s)", self._cache)
            stored = None
        if isinstance(stored, str):
            return self.decode(stored)
        row = self._get_session_from_db()
        if not row:
            return {}
        try:
            expiry = self.get_expiry_age(expiry=row.expire_date)
            self._cache.set(self.cache_key, row.session_data, expiry)
        except Exception:
            logger.exception("Error saving the session to the cache (%s)", self._cache)
        return self.decode(row.session_data)

    def save(self, must_create=False):
        db_sessions.SessionStore.save(self, must_create)
        try:
            encoded = self.encode(self._get_session(no_load=must_create))
            self._cache.set(self.cache_key, encoded, self.get_expiry_age())
        except Exception:
            logger.exception("Error saving the session to the cache (%s)", self._cache)

    async def aload(self):
        raise NotImplementedError("The site runs under WSGI; async sessions are not wired.")

    async def asave(self, must_create=False):
        raise NotImplementedError("The site runs under WSGI; async sessions are not wired.")
