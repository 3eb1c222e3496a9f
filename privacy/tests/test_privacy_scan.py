"""`manage.py privacy_scan`: an operator's scan of every table for personal data in
clear, by pattern (no markers) or by the values given."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from privacy.models import Newsletter
from privacy.scan import database_scan
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def scan(*args):
    out = io.StringIO()
    call_command("privacy_scan", *args, stdout=out)
    return out.getvalue()


def test_declared_login_emails_pass_and_are_listed_with_their_reason():
    UserFactory(email="declared.login@example.org", phone="07700900123")
    output = scan("--all")
    assert "No undeclared personal data in clear." in output
    assert "privacy_user.email" in output and "declared:" in output
    assert "07700900123" in output and "encrypted" in output  # the phone, decrypted


def test_an_address_in_clear_in_an_undeclared_column_fails_the_scan():
    Newsletter.objects.create(
        subject_en="Hello", body_en="Write to jane.doe@example.org", subject_fr="S", body_fr="B"
    )
    with pytest.raises(CommandError, match="privacy_newsletter.body_en"):
        scan()


def test_markers_in_a_session_are_found_encrypted_and_in_clear_without_encryption(settings):
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["note"] = "Zqsessionmarker"
    session.save()
    report = database_scan(markers=["Zqsessionmarker"])
    assert report.violations() == []
    assert [(f.table, f.encrypted) for f in report.findings] == [("django_session", True)]
    # Control: Django's own serializer leaves it signed only, which the scan opens.
    settings.SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"
    session = SessionStore()
    session["note"] = "Zqsessionmarker"
    session.save()
    report = database_scan(markers=["Zqsessionmarker"])
    assert [(f.table, f.column) for f in report.violations()] == [
        ("django_session", "session_data")
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        assert "Zqsessionmarker" not in cursor.fetchone()[0]  # only found once decoded


@pytest.mark.parametrize("bad", [["--batch-size", "0"], ["--batch-size", "x"]])
def test_bad_options_are_refused(bad):
    with pytest.raises(CommandError):
        scan(*bad)
