"""Right of access and portability: the export is complete, and only the customer's."""

import json

import pytest
from django.urls import reverse

from privacy import registry
from privacy.disclosures import disclosure_record
from privacy.models import SecurityEvent, SecurityEventKind
from privacy.rights.export import ExportRefused, export_build
from privacy.tests.factories import ConsentRecordFactory, SecurityEventFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("providers")]


def _customer_with_records(**kwargs):
    user = UserFactory(phone="+447700900123", **kwargs)
    ConsentRecordFactory(user=user)
    SecurityEventFactory(user=user)
    disclosure_record(
        user=user, processor="reviews", purpose="review-invitations", fields=["email"]
    )
    return user


def _rows(document, key):
    return next(s for s in document["sections"] if s["key"] == key)["rows"]


def test_every_declared_model_is_a_section_and_every_held_row_appears():
    user = _customer_with_records()
    document = export_build(user=user)
    keys = [section["key"] for section in document["sections"]]
    assert keys == [declaration.label for declaration in registry.declarations()]
    for declaration in registry.declarations():
        held = declaration.rows_for(user).count()
        assert len(_rows(document, declaration.label)) == held, declaration.label
    assert _rows(document, "privacy.user")[0]["phone"] == "+447700900123"
    assert _rows(document, "privacy.disclosure")[0]["processor"] == "reviews"


def test_an_export_holds_nothing_of_another_customer():
    alice = _customer_with_records(email="alice@example.com", first_name="Alice")
    bob = _customer_with_records(email="bob@example.com", first_name="Bobbington")
    text = json.dumps(export_build(user=alice))
    assert "alice@example.com" in text
    assert "bob@example.com" not in text
    assert "Bobbington" not in text
    assert str(bob.phone) not in text or bob.phone == alice.phone


def test_the_export_is_written_to_the_security_log():
    user = UserFactory()
    export_build(user=user)
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEventKind.EXPORT).count() == 1


def test_no_export_of_a_closed_account():
    user = UserFactory(is_active=False)
    with pytest.raises(ExportRefused):
        export_build(user=user)
    assert not SecurityEvent.objects.filter(user=user).exists()


def test_download_is_a_json_attachment_of_the_signed_in_customer(client):
    user = _customer_with_records(email="dl@example.com")
    client.force_login(user)
    response = client.get(reverse("privacy:export-download"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["customer"] == "dl@example.com"
    assert document["format"] == "offtek-personal-data/1"


def test_readable_page_shows_the_data_in_french(client):
    user = _customer_with_records(first_name="Honorine")
    client.force_login(user)
    response = client.get("/fr/account/my-data/")
    html = response.content.decode()
    assert "Honorine" in html
    assert "Télécharger mes données" in html


def test_export_pages_need_a_login(client):
    response = client.get(reverse("privacy:export-download"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
