"""What the policy pages promise, tested against what the customer reads there (not
against the constants the pages are rendered from)."""

import pytest
from django.core import mail

from privacy.consent.marketing import newsletter_send
from privacy.consent.services import consents_record
from privacy.models import ConsentSource, Newsletter
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_newsletters_never_reach_deactivated_accounts(django_capture_on_commit_callbacks):
    active = UserFactory(email="active@example.org")
    deactivated = UserFactory(email="deactivated@example.org")
    for user in (active, deactivated):
        consents_record(
            user=user, choices={"marketing-email": True}, source=ConsentSource.DASHBOARD
        )
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    newsletter = Newsletter.objects.create(
        subject_en="News", body_en="New memory", subject_fr="Nouvelles", body_fr="Mémoire"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletter_send(newsletter=newsletter) == 1
    recipients = [address for message in mail.outbox for address in message.to]
    assert recipients == ["active@example.org"]
