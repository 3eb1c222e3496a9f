import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from privacy import policy
from privacy.consent import selectors, services
from privacy.models import ConsentRecord, LedgerChangeRefused, erasure
from privacy.tests.factories import PASSWORD, ConsentRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


def checkbox(html, name):
    """The <input> tag of the checkbox called ``name``."""
    return re.search(rf'<input type="checkbox" name="{name}"[^>]*>', html).group(0)


def test_a_ledger_row_cannot_be_updated():
    row = ConsentRecordFactory()
    row.granted = False
    with pytest.raises(LedgerChangeRefused):
        row.save()
    assert ConsentRecord.objects.get(pk=row.pk).granted is True


def test_ledger_rows_cannot_be_bulk_updated():
    ConsentRecordFactory()
    with pytest.raises(LedgerChangeRefused):
        ConsentRecord.objects.update(granted=False)
    assert ConsentRecord.objects.filter(granted=True).count() == 1


def test_ledger_rows_are_deleted_only_by_erasure():
    row = ConsentRecordFactory()
    with pytest.raises(LedgerChangeRefused):
        row.delete()
    with pytest.raises(LedgerChangeRefused):
        ConsentRecord.objects.filter(pk=row.pk).delete()
    assert ConsentRecord.objects.count() == 1
    with erasure():
        ConsentRecord.objects.filter(user=row.user).delete()
    assert ConsentRecord.objects.count() == 0


def test_current_state_is_the_latest_row_per_purpose_in_one_query(
    django_assert_num_queries,
):
    user = UserFactory()
    services.consents_record(
        user=user, choices={"marketing-email": True, "marketing-sms": True}, source="dashboard"
    )
    services.consents_record(user=user, choices={"marketing-email": False}, source="dashboard")
    ConsentRecordFactory(purpose="marketing-email", granted=True)  # someone else's
    with django_assert_num_queries(1):
        current = selectors.consents_current(user=user)
    assert {key: row.granted for key, row in current.items()} == {
        "marketing-email": False,
        "marketing-sms": True,
    }


def test_recording_the_same_answer_twice_writes_one_row():
    user = UserFactory()
    services.consents_record(user=user, choices={"review-invitations": True}, source="dashboard")
    written = services.consents_record(
        user=user, choices={"review-invitations": True}, source="dashboard"
    )
    assert written == []
    assert ConsentRecord.objects.filter(user=user).count() == 1


def test_an_unknown_purpose_is_refused():
    with pytest.raises(services.UnknownConsentPurpose):
        services.consents_record(user=UserFactory(), choices={"orders": True}, source="dashboard")


def test_signup_shows_unticked_consent_boxes_linked_to_the_policy(client):
    response = client.get(reverse("account_signup"))
    html = response.content.decode()
    for key in policy.MARKETING_PURPOSES:
        assert "checked" not in checkbox(html, key)
    assert reverse("privacy:policy") + "#marketing" in html
    assert reverse("privacy:policy") + "#reviews" in html
    assert 'class="collection-notice"' in html


def test_ticked_signup_boxes_write_ledger_rows_with_source_signup(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "marketing-sms": "on",
            "review-invitations": "on",
        },
    )
    rows = ConsentRecord.objects.filter(user__email="new@example.com")
    assert {(row.purpose, row.granted, row.source) for row in rows} == {
        ("marketing-sms", True, "signup"),
        ("review-invitations", True, "signup"),
    }
    assert {row.policy_version for row in rows} == {policy.version_current().code}


def test_signup_without_ticks_writes_no_consent(client):
    client.post(
        reverse("account_signup"),
        {"email": "quiet@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert ConsentRecord.objects.filter(user__email="quiet@example.com").count() == 0


def test_preferences_page_changes_write_one_row_each(client):
    user = UserFactory()
    ConsentRecordFactory(user=user, purpose="marketing-email", granted=True)
    client.force_login(user)
    response = client.get(reverse("privacy:preferences"))
    html = response.content.decode()
    assert "checked" in checkbox(html, "marketing-email")
    assert "checked" not in checkbox(html, "marketing-sms")
    client.post(reverse("privacy:preferences"), {"marketing-sms": "on"})
    current = selectors.consents_current(user=user)
    assert current["marketing-email"].granted is False
    assert current["marketing-email"].source == "dashboard"
    assert current["marketing-sms"].granted is True
    assert ConsentRecord.objects.filter(user=user).count() == 3


def test_preferences_page_needs_sign_in(client):
    response = client.get(reverse("privacy:preferences"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def _version_pair():
    return (
        policy.PolicyVersion("v1", datetime.date(2026, 1, 1), "first"),
        policy.PolicyVersion(
            "v2", datetime.date(2026, 6, 1), "second", changed_purposes=("marketing-sms",)
        ),
    )


def test_a_new_version_changing_a_purpose_asks_again_at_next_login(client, monkeypatch):
    monkeypatch.setattr("privacy.policy.versions.VERSIONS", _version_pair())
    user = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)):
        services.consents_record(
            user=user,
            choices={"marketing-sms": True, "marketing-email": True},
            source="dashboard",
        )
    with time_machine.travel(datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)):
        assert selectors.consents_to_confirm(user=user) == ["marketing-sms"]
        assert not selectors.consent_is_granted(user=user, purpose="marketing-sms")
        assert selectors.consent_is_granted(user=user, purpose="marketing-email")
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        response = client.get(reverse("shop:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("privacy:reconsent"))
        assert client.get(reverse("privacy:policy")).status_code == 200  # readable meanwhile
        page = client.get(response["Location"]).content.decode()
        assert 'name="marketing-sms"' in page
        assert 'name="marketing-email"' not in page
        client.post(response["Location"], {"marketing-sms": "on"})
        row = selectors.consents_current(user=user)["marketing-sms"]
        assert (row.granted, row.source, row.policy_version) == (True, "reconsent", "v2")
        assert client.get(reverse("shop:home")).status_code == 200


def test_declining_again_withdraws(client, monkeypatch):
    monkeypatch.setattr("privacy.policy.versions.VERSIONS", _version_pair())
    user = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)):
        services.consents_record(user=user, choices={"marketing-sms": True}, source="signup")
    with time_machine.travel(datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)):
        client.force_login(user)
        response = client.post(reverse("privacy:reconsent"), {})
        assert response.status_code == 302, response.context["form"].errors
        assert selectors.consents_current(user=user)["marketing-sms"].granted is False
        assert selectors.consents_to_confirm(user=user) == []


def test_unticking_every_box_withdraws_everything(client):
    user = UserFactory()
    ConsentRecordFactory(user=user, purpose="marketing-email", granted=True)
    client.force_login(user)
    client.post(reverse("privacy:preferences"), {})
    assert selectors.consents_current(user=user)["marketing-email"].granted is False
