"""Nothing personal in clear in sessions or caches: whole sessions are encrypted
(privacy/sessions.py) in django_session, in the cache table and in Redis, flash
messages name no one, and the raw-database scan reads all three."""

import json

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from privacy.scan import REDIS_TABLE, database_scan
from privacy.sessions import SessionStore
from privacy.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
EMAIL = "zq.session.owner@example.org"


def signed_in(client):
    UserFactory(email=EMAIL, first_name="Zqfirst")
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    client.get(reverse("privacy:account-detail"))
    return client


def raw_sessions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        return [row[0] for row in cursor.fetchall()]


def test_a_signed_in_session_holds_no_email_or_name_in_the_table_or_the_cache(client):
    signed_in(client)
    [stored] = raw_sessions()
    report = database_scan(markers=[EMAIL, "Zqfirst"])
    assert report.violations() == [], "\n".join(map(str, report.violations()))
    # Control: the scan opens the session, and finds what allauth keeps there, encrypted.
    assert {(f.table, f.encrypted) for f in report.findings} >= {("django_session", True)}
    assert SessionStore().decode(stored)["_auth_user_id"]


def test_the_sign_in_message_names_no_one(client):
    UserFactory(email=EMAIL)
    client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    stored = SessionStore(session_key=client.cookies["sessionid"].value).load()
    [message] = json.loads(stored["_messages"])
    assert message[3] == "You are signed in."  # kept until shown: it names no one
    assert EMAIL not in stored["_messages"]
    french = Client()
    french.post("/fr/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    stored = SessionStore(session_key=french.cookies["sessionid"].value).load()
    assert json.loads(stored["_messages"])[0][3] == "Vous êtes connecté."


def test_control_a_plain_session_serializer_would_show_the_email(client, settings):
    settings.SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    signed_in(client)
    report = database_scan(markers=[EMAIL])
    assert ("django_session", "session_data") in {(f.table, f.column) for f in report.violations()}


@pytest.mark.redis
def test_redis_holds_the_session_encrypted_and_the_scan_reads_redis(shared_redis):
    client = signed_in(Client())
    key = client.cookies["sessionid"].value
    stored = caches["default"].get(f"django.contrib.sessions.cached_db{key}")
    assert isinstance(stored, str) and EMAIL not in stored
    report = database_scan(markers=[EMAIL])
    assert report.violations() == []
    assert REDIS_TABLE in {finding.table for finding in report.findings}  # opened, encrypted
    # Control: a value written in clear to Redis is a violation.
    caches["default"].set("left-behind", f"Signed in as {EMAIL}")
    report = database_scan(markers=[EMAIL])
    assert [(f.table, f.encrypted) for f in report.violations()] == [(REDIS_TABLE, False)]
