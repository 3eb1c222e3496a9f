"""A wrong key stops everything: the canary written at migrate time is checked before
any encrypted value is written, at start, and by `check --database default`, which
reads every encrypted value of every table."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from privacy.canary import KeyCanaryMismatch, canary_startup_check
from privacy.checks import encryption_keys_check
from privacy.models import PrivacyRequest
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def raw_count(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def test_the_canary_is_written_at_migrate_time_and_opens_with_the_keys():
    assert raw_count("privacy_keycanary") == 1
    canary_startup_check()
    assert encryption_keys_check(databases=["default"]) == []


def test_anonymous_privacy_officer_form_with_a_wrong_key_is_refused_and_writes_nothing(
    settings,
):
    settings.CRYPTOGRAPHY_KEY = "the-wrong-key"
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("privacy:contact"),
        {"kind": "question", "email": "wrongkey@example.org", "message": "Is my data safe?"},
    )
    assert response.status_code == 503
    assert raw_count("privacy_privacyrequest") == 0
    assert raw_count("privacy_historicalprivacyrequest") == 0


def test_every_encrypting_write_path_is_refused_under_a_wrong_key(settings):
    user = UserFactory(first_name="Ada")
    settings.CRYPTOGRAPHY_KEY = "the-wrong-key"
    with pytest.raises(KeyCanaryMismatch, match="CRYPTOGRAPHY_KEY"), transaction.atomic():
        user.save()
    with pytest.raises(KeyCanaryMismatch), transaction.atomic():
        type(user).objects.filter(pk=user.pk).update(first_name="Eve")  # bulk update
    with pytest.raises(KeyCanaryMismatch), transaction.atomic():
        PrivacyRequest.objects.create(email="x@example.org", message="m", email_digest="d")
    assert raw_count("privacy_privacyrequest") == 0


def test_start_and_check_fail_naming_the_variable(settings):
    settings.CRYPTOGRAPHY_KEY = "the-wrong-key"
    with pytest.raises(KeyCanaryMismatch, match="CRYPTOGRAPHY_KEY"):
        canary_startup_check()
    errors = encryption_keys_check(databases=["default"])
    assert "privacy.E002" in {error.id for error in errors}
    assert any("CRYPTOGRAPHY_KEY" in error.msg for error in errors)
    with pytest.raises(Exception, match="CRYPTOGRAPHY_KEY"):
        call_command("check", "--database", "default", stdout=io.StringIO(), stderr=io.StringIO())


def test_check_reads_every_row_not_a_sample(settings):
    """Control: only the last of many rows is under another key; a check that read the
    first row of each column would pass."""
    users = [UserFactory(first_name=f"Name{n}") for n in range(5)]
    assert encryption_keys_check(databases=["default"]) == []
    from privacy.encryption import KeyMaterial

    foreign = KeyMaterial("another-key", settings.SECRET_KEY, settings.CRYPTOGRAPHY_SALT).cipher()
    import pickle

    token = foreign.encrypt(pickle.dumps("Mallory"))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE privacy_user SET first_name = %s WHERE id = %s",
            [connection.Database.Binary(token), users[-1].pk],
        )
    errors = encryption_keys_check(databases=["default"])
    assert [error.id for error in errors] == ["privacy.E001"]
    assert "privacy_user.first_name (1 values)" in errors[0].msg
