import io
import logging
import pickle

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_cryptography.utils.crypto import InvalidToken

from privacy.encryption import KeyMaterial, encrypted_tables, opens
from privacy.models import SecurityEvent, User
from privacy.tests.factories import SecurityEventFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME, SURNAME, PHONE, IP = "Ottoline", "Quennell-Smythe", "07700900461", "198.51.100.23"
TYPED = "typo-ottoline@example.com"


@pytest.fixture
def keys_a(settings):
    """Known key material A, in force while the fixture's data is written: deployed
    as an operator would, new keys then ``rotate_keys`` from the old ones (the key
    canary written at migrate time refuses writes under keys that cannot read it)."""
    old_key, old_secret = settings.CRYPTOGRAPHY_KEY, settings.SECRET_KEY
    settings.CRYPTOGRAPHY_KEY = "cryptography-key-A"
    settings.SECRET_KEY = "secret-key-A"
    call_command(
        "rotate_keys", old_cryptography_key=old_key, old_secret_key=old_secret, stdout=io.StringIO()
    )
    return settings


@pytest.fixture
def customer(keys_a):
    user = UserFactory(first_name=NAME, last_name=SURNAME, phone=PHONE)
    user.phone = PHONE + "0"  # a second history row
    user.save()
    SecurityEventFactory(user=user, ip_address=IP, user_agent="FirefoxTest/1.0")
    SecurityEventFactory(user=None, kind="login-failed", attempted_email=TYPED, ip_address=IP)
    return user


def raw_values(table, columns):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
        return [value for row in cursor.fetchall() for value in row if value is not None]


def test_every_table_with_personal_fields_is_encrypted_at_rest(customer):
    tables = {table.table: table for table in encrypted_tables()}
    assert {"privacy_user", "privacy_historicaluser", "privacy_securityevent"} <= set(tables)
    found = 0
    for table in tables.values():
        for value in raw_values(table.table, table.columns):
            found += 1
            raw = bytes(value)
            for secret in (NAME, SURNAME, PHONE, IP, "FirefoxTest", TYPED):
                assert secret.encode() not in raw, f"{secret} in clear in {table.table}"
    assert found >= 10  # names and phones of the user and two history rows, IP, agent...


def test_history_rows_use_the_encrypted_field(customer):
    history = customer.history.all()
    assert {row.phone for row in history} == {PHONE, PHONE + "0"}
    field = type(history[0])._meta.get_field("first_name")
    assert type(field).__name__ == "EncryptedCharField"


def test_rotating_the_cryptography_key_loses_nothing(customer, settings):
    settings.CRYPTOGRAPHY_KEY = "cryptography-key-B"
    with pytest.raises(Exception):  # noqa: B017 - the point: B cannot read A's data
        User.objects.get(pk=customer.pk).first_name  # noqa: B018
    call_command("rotate_keys", old_cryptography_key="cryptography-key-A", stdout=None)
    user = User.objects.get(pk=customer.pk)
    assert (user.first_name, user.last_name, user.phone) == (NAME, SURNAME, PHONE + "0")
    assert {row.phone for row in user.history.all()} == {PHONE, PHONE + "0"}
    assert SecurityEvent.objects.get(user=user).ip_address == IP
    assert SecurityEvent.objects.get(user=None).attempted_email == TYPED


def test_rotating_secret_key_loses_nothing(customer, settings):
    """django-cryptography signs every value with an HMAC keyed by SECRET_KEY."""
    settings.SECRET_KEY = "secret-key-B"
    with pytest.raises(Exception):  # noqa: B017 - the signature no longer matches
        User.objects.get(pk=customer.pk).first_name  # noqa: B018
    call_command("rotate_keys", old_secret_key="secret-key-A")
    user = User.objects.get(pk=customer.pk)
    assert (user.first_name, user.phone) == (NAME, PHONE + "0")


def test_dry_run_changes_nothing_and_rerun_skips_rotated_rows(customer, settings, capsys):
    settings.CRYPTOGRAPHY_KEY = "cryptography-key-B"
    table = next(t for t in encrypted_tables() if t.table == "privacy_user")
    before = [bytes(v) for v in raw_values(table.table, table.columns)]
    call_command("rotate_keys", old_cryptography_key="cryptography-key-A", dry_run=True)
    assert [bytes(v) for v in raw_values(table.table, table.columns)] == before
    assert "would re-encrypt" in capsys.readouterr().out
    call_command("rotate_keys", old_cryptography_key="cryptography-key-A", batch_size=1)
    rotated = [bytes(v) for v in raw_values(table.table, table.columns)]
    assert rotated != before
    call_command("rotate_keys", old_cryptography_key="cryptography-key-A")
    out = capsys.readouterr().out
    assert "re-encrypted 0 values" in out
    assert [bytes(v) for v in raw_values(table.table, table.columns)] == rotated


def test_a_wrong_old_key_fails_loudly_and_writes_nothing(customer, settings):
    settings.CRYPTOGRAPHY_KEY = "cryptography-key-B"
    with pytest.raises(CommandError, match="opens with neither the old nor the current"):
        call_command("rotate_keys", old_cryptography_key="not-the-old-key")
    settings.CRYPTOGRAPHY_KEY = "cryptography-key-A"
    assert User.objects.get(pk=customer.pk).first_name == NAME


def test_rotate_keys_without_old_keys_explains_itself():
    with pytest.raises(CommandError, match="old key material"):
        call_command("rotate_keys")


def test_a_wrong_key_shows_visitors_a_503_and_tells_the_operator(customer, settings, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(customer)
    settings.CRYPTOGRAPHY_KEY = "cryptography-key-B"
    with caplog.at_level(logging.CRITICAL, logger="privacy.encryption"):
        response = client.get(reverse("privacy:account-detail"))
    assert response.status_code == 503
    assert b"Temporarily unavailable" in response.content
    assert "rotate_keys" in caplog.text


def test_the_database_check_names_the_table_a_wrong_key_cannot_open(customer, settings):
    from privacy.checks import encryption_keys_check

    assert encryption_keys_check(databases=["default"]) == []
    settings.CRYPTOGRAPHY_KEY = "cryptography-key-B"
    errors = encryption_keys_check(databases=["default"])
    # The key canary fails first (E002), then every column it cannot open (E001).
    assert {error.id for error in errors} == {"privacy.E001", "privacy.E002"}
    assert any("privacy_user.first_name" in error.msg for error in errors)


def test_a_wrong_key_met_in_a_middleware_also_gives_a_503(customer, settings):
    """Loading the signed-in user happens in middleware, out of process_exception's reach."""
    from privacy.middleware import RECONSENT_SESSION_KEY

    client = Client(raise_request_exception=False)
    client.force_login(customer)
    session = client.session
    session[RECONSENT_SESSION_KEY] = True  # makes ReconsentMiddleware load the user
    session.save()
    settings.CRYPTOGRAPHY_KEY = "cryptography-key-B"
    response = client.get("/en/")
    assert response.status_code == 503
    assert response["Retry-After"] == "600"


def test_a_wrong_aes_key_is_never_taken_for_the_right_one():
    """With only CRYPTOGRAPHY_KEY changed the signature still matches (it uses
    SECRET_KEY) and a wrong AES key passes the padding check about once in 256
    values: rotation must not take that noise for a value already under the new key."""
    old = KeyMaterial("cryptography-key-A", "same-secret", "salt").cipher()
    new = KeyMaterial("cryptography-key-B", "same-secret", "salt").cipher()
    tokens = [old.encrypt(pickle.dumps(f"Name{n}")) for n in range(2000)]
    noise = [token for token in tokens if _decrypts(new, token)]
    assert noise, "the hazard exists: some tokens decrypt (to noise) under the wrong key"
    assert [opens(new, token) for token in tokens] == [None] * len(tokens)
    assert pickle.loads(opens(old, tokens[7])) == "Name7"  # noqa: S301 - our own data


def _decrypts(cipher, token):
    try:
        cipher.decrypt(token)
    except InvalidToken:
        return False
    return True
