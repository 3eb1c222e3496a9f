"""Newsletters go only to customers who said yes; one-click unsubscribe (RFC 8058)."""

import pytest
from django.core import mail
from django.urls import reverse

from privacy.consent.marketing import UnsubscribeOutcome, newsletter_send, unsubscribe_apply
from privacy.consent.selectors import consent_is_granted
from privacy.consent.services import consents_record
from privacy.models import ConsentRecord, ConsentSource, Newsletter
from privacy.tests.factories import ConsentRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://shop.test"


def _newsletter():
    return Newsletter.objects.create(
        subject_en="New DDR5 kits",
        body_en="Fresh stock.",
        subject_fr="Nouveaux kits DDR5",
        body_fr="Nouveau stock.",
    )


def _unsubscribe_path(message):
    header = message.extra_headers["List-Unsubscribe"]
    return header.strip("<>").removeprefix("https://shop.test")


def test_only_customers_whose_ledger_says_yes_now_receive_it_in_their_language(
    django_capture_on_commit_callbacks,
):
    english = ConsentRecordFactory(user=UserFactory(email="en@example.com")).user
    french = ConsentRecordFactory(user=UserFactory(email="fr@example.com", language="fr")).user
    withdrawn = ConsentRecordFactory(user=UserFactory(email="no@example.com")).user
    consents_record(
        user=withdrawn, choices={"marketing-email": False}, source=ConsentSource.DASHBOARD
    )
    UserFactory(email="never@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletter_send(newsletter=_newsletter()) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {english.email, french.email}
    assert by_address["fr@example.com"].subject == "Nouveaux kits DDR5"
    assert by_address["en@example.com"].subject == "New DDR5 kits"
    message = by_address["en@example.com"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _unsubscribe_path(message) in message.body


def test_a_newsletter_is_sent_once(django_capture_on_commit_callbacks):
    ConsentRecordFactory()
    newsletter = _newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_send(newsletter=newsletter)
        assert newsletter_send(newsletter=newsletter) == 0
    assert len(mail.outbox) == 1


def test_one_click_post_without_login_or_csrf_writes_an_unsubscribe_row(
    client, django_capture_on_commit_callbacks
):
    user = ConsentRecordFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_send(newsletter=_newsletter())
    path = _unsubscribe_path(mail.outbox[0])
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not consent_is_granted(user=user, purpose="marketing-email")
    latest = ConsentRecord.objects.filter(user=user).first()
    assert (latest.granted, latest.source) == (False, ConsentSource.UNSUBSCRIBE)


def test_get_asks_before_unsubscribing(client):
    user = ConsentRecordFactory().user
    from privacy.consent.marketing import unsubscribe_token

    token = unsubscribe_token(consent=ConsentRecord.objects.get(user=user))
    response = client.get(reverse("privacy:unsubscribe", kwargs={"token": token}))
    assert b"<form" in response.content
    assert consent_is_granted(user=user, purpose="marketing-email")


def test_a_reused_token_changes_nothing_even_after_a_new_yes(client):
    user = ConsentRecordFactory().user
    from privacy.consent.marketing import unsubscribe_token

    token = unsubscribe_token(consent=ConsentRecord.objects.get(user=user))
    assert unsubscribe_apply(token=token) == UnsubscribeOutcome.DONE
    assert unsubscribe_apply(token=token) == UnsubscribeOutcome.ALREADY
    consents_record(user=user, choices={"marketing-email": True}, source=ConsentSource.DASHBOARD)
    rows = ConsentRecord.objects.filter(user=user).count()
    response = client.post(f"/fr/unsubscribe/{token}/")
    assert "nothing changed" not in response.content.decode()
    assert "rien n’a changé" in response.content.decode()
    assert ConsentRecord.objects.filter(user=user).count() == rows
    assert consent_is_granted(user=user, purpose="marketing-email")


def test_a_forged_token_changes_nothing(client):
    user = ConsentRecordFactory().user
    forged = "eyJ1IjoxLCJjIjoxfQ:1vXYZ:forgedsignature"
    response = client.post(reverse("privacy:unsubscribe", kwargs={"token": forged}))
    assert response.status_code == 400
    assert b"not valid" in response.content
    assert consent_is_granted(user=user, purpose="marketing-email")
    assert ConsentRecord.objects.filter(user=user).count() == 1


def test_staff_send_a_newsletter_from_the_admin_once(
    staff_client, django_capture_on_commit_callbacks
):
    ConsentRecordFactory(user=UserFactory(email="fan@example.com"))
    newsletter = _newsletter()
    url = reverse("admin:privacy_newsletter_changelist")
    action = {"action": "send_newsletters", "_selected_action": [newsletter.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, action)
        response = staff_client.post(url, action, follow=True)
    assert [m.to for m in mail.outbox] == [["fan@example.com"]]
    assert "already sent" in response.content.decode()
    newsletter.refresh_from_db()
    assert newsletter.recipients == 1
