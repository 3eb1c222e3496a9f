"""The customer's display name, kept in their session for the page header, so a page
can greet them without loading their user row. Written when they sign in and when they
change their name; the session ends with the account (erasure deletes every session of
the customer). It never goes into a cached page: the header is filled in per request
(shop/catalog/page_cache.py).

Sessions are stored in the database and the shared cache, so the name is kept there
encrypted, like every other personal field (the raw-database test reads the session
and cache tables). A name that cannot be opened (the keys were rotated) reads as no
name: the header then shows the plain account link."""

import base64
import binascii
import functools

from django.core.signing import BadSignature
from django_cryptography.utils.crypto import InvalidToken

from privacy.canary import GuardedCipher
from privacy.encryption import KeyMaterial, key_material_current

DISPLAY_NAME_SESSION_KEY = "display_name"


@functools.cache
def _cipher(material: KeyMaterial) -> GuardedCipher:
    return GuardedCipher(material.cipher())


def display_name_remember(*, session, user) -> None:
    name = user.get_full_name()
    if not name:
        session.pop(DISPLAY_NAME_SESSION_KEY, None)
        return
    token = _cipher(key_material_current()).encrypt(name.encode())
    session[DISPLAY_NAME_SESSION_KEY] = base64.urlsafe_b64encode(token).decode("ascii")


def display_name_in(session) -> str:
    stored = session.get(DISPLAY_NAME_SESSION_KEY)
    if not stored:
        return ""
    try:
        token = base64.urlsafe_b64decode(stored)
        return _cipher(key_material_current()).decrypt(token).decode()
    except (binascii.Error, BadSignature, InvalidToken, UnicodeDecodeError):
        return ""
