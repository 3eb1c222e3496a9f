"""The record of processing activities (article 30) in the admin, in both languages."""

import csv
import io

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from privacy import policy
from privacy.accounts.roles import PRIVACY_OFFICER, SHOP_STAFF
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RECORD = "/{lang}/admin/privacy/record-of-processing/"
DOWNLOAD = "/{lang}/admin/privacy/record-of-processing/csv/"


def staff_in(client, group_name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    return client


def test_the_privacy_officer_reads_every_purpose_with_its_facts(client):
    staff_in(client, PRIVACY_OFFICER)
    page = client.get(RECORD.format(lang="en")).content.decode()
    for purpose in policy.policy_in_use().purposes:
        assert str(purpose.label).replace("'", "&#x27;") in page
    assert "7 years" in page  # the tax-records rule's period
    assert policy.controller()["address"] in page
    assert "Card numbers never reach our servers" in page


def test_the_record_is_in_french_under_fr(client):
    staff_in(client, PRIVACY_OFFICER)
    page = client.get(RECORD.format(lang="fr")).content.decode()
    assert "Registre des activités de traitement" in page
    assert "Exécution d’un contrat" in page or "Exécution d'un contrat" in page
    assert "Record of processing activities" not in page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_csv_has_a_row_per_purpose_in_the_admins_language(client, lang):
    staff_in(client, PRIVACY_OFFICER)
    response = client.get(DOWNLOAD.format(lang=lang))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"record-of-processing-{lang}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = rows[0], rows[1:]
    assert header[0] == {"en": "Purpose", "fr": "Finalité"}[lang]
    purposes = policy.policy_in_use().purposes
    assert len(body) == len(purposes)
    assert {row[0] for row in body} == {str(p.label) for p in purposes}
    for row in body:
        assert all(cell.strip() for cell in row), row


def test_the_csv_names_each_outside_transfer_with_its_safeguard(client, settings):
    settings.PAYMENT_GATEWAY = "stripe"  # Stripe works partly in the United States
    staff_in(client, PRIVACY_OFFICER)
    rows = list(csv.reader(io.StringIO(client.get(DOWNLOAD.format(lang="en")).content.decode())))
    by_purpose = {row[0]: row for row in rows[1:]}
    in_use = policy.policy_in_use()
    assert any(p.outside_eea for p in in_use.processors.values())
    for purpose in in_use.purposes:
        outside = [p for p in in_use.processors_of(purpose) if p.outside_eea]
        cell = by_purpose[str(purpose.label)][5]
        if outside:
            for processor in outside:
                assert str(processor.safeguard) in cell
        else:
            assert cell == "none"


def test_the_record_is_listed_on_the_admin_index_for_the_privacy_officer(client):
    staff_in(client, PRIVACY_OFFICER)
    page = client.get("/en/admin/").content.decode()
    assert RECORD.format(lang="en") in page


@pytest.mark.parametrize("url", [RECORD, DOWNLOAD])
def test_shop_staff_may_not_read_the_record(client, url):
    staff_in(client, SHOP_STAFF)
    assert client.get(url.format(lang="en")).status_code == 403
    assert RECORD.format(lang="en") not in client.get("/en/admin/").content.decode()


@pytest.mark.parametrize("url", [RECORD, DOWNLOAD])
def test_a_customer_is_sent_to_the_admin_login(client, url):
    client.force_login(UserFactory())
    response = client.get(url.format(lang="en"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
