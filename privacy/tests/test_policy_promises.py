"""What the policy pages promise, tested against what the customer reads there (not
against the constants the pages are rendered from)."""

import datetime
import re
from email.utils import parsedate_to_datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from privacy.consent.marketing import newsletter_send
from privacy.consent.services import consents_record
from privacy.models import ConsentSource, Newsletter
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STATED_DAYS = {
    "en": re.compile(r"cookie_consent cookie for (\d+) days"),
    "fr": re.compile(r"cookie_consent pendant (\d+) jours"),
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_consent_cookie_lasts_as_long_as_the_cookies_page_says(client, language):
    page = client.get(f"/{language}/cookies/")
    match = STATED_DAYS[language].search(page.text)
    assert match, "the cookies page no longer states how long the choice is kept"
    days = int(match.group(1))
    before = timezone.now()
    response = client.post(
        reverse("privacy:cookie-choice"), {"choice": "reject-all", "next": f"/{language}/"}
    )
    cookie = response.cookies["cookie_consent"]
    assert int(cookie["max-age"]) == days * 86400
    expires = parsedate_to_datetime(cookie["expires"])
    stated_end = before + datetime.timedelta(days=days)
    assert abs((expires - stated_end).total_seconds()) < 5


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
