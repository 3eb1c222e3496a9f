"""A customer's rights, as they see them: sign up with marketing consent, receive a
newsletter, unsubscribe in one click, download their data, close the account and read
the receipt. In English and in French."""

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from privacy.consent.marketing import newsletter_send
from privacy.models import ConsentRecord, ErasureReceipt, Newsletter, User
from privacy.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {
        "subject": "New DDR5 kits",
        "unsubscribe": "Unsubscribe from marketing e-mails",
        "unsubscribed": "You are unsubscribed",
        "download": "Download my data (JSON)",
        "close": "Close my account for good",
        "closed": "Your account is closed",
    },
    "fr": {
        "subject": "Nouveaux kits DDR5",
        "unsubscribe": "Me désabonner des e-mails marketing",
        "unsubscribed": "Vous êtes désabonné",
        "download": "Télécharger mes données (JSON)",
        "close": "Fermer définitivement mon compte",
        "closed": "Votre compte est fermé",
    },
}


def _link(message, fragment):
    return next(word for word in message.body.split() if fragment in word)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sign_up_unsubscribe_download_and_close(live_server, page, settings, artifacts_dir, lang):
    settings.SITE_URL = live_server.url
    text, email = TEXT[lang], f"rights-{lang}@example.com"
    base = live_server.url

    # Sign up, saying yes to marketing e-mail, and confirm the address.
    page.goto(f"{base}/{lang}/accounts/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=marketing-email]")
    page.locator("form.signup-form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(_link(mail.outbox[-1], "/accounts/confirm-email/"))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    user = User.objects.get(email=email)
    assert user.language == lang

    # Staff send a newsletter; it arrives in the customer's language.
    newsletter = Newsletter.objects.create(
        subject_en=TEXT["en"]["subject"],
        body_en="Fresh stock.",
        subject_fr=TEXT["fr"]["subject"],
        body_fr="Nouveau stock.",
    )
    assert newsletter_send(newsletter=newsletter) == 1
    (letter,) = [m for m in mail.outbox if m.to == [email] and m.subject == text["subject"]]
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # One click unsubscribes.
    page.goto(_link(letter, "/unsubscribe/"))
    page.get_by_role("button", name=text["unsubscribe"]).click()
    expect(page.locator(".unsubscribe-outcome")).to_contain_text(text["unsubscribed"])
    latest = ConsentRecord.objects.filter(user=user, purpose="marketing-email").first()
    assert (latest.granted, latest.source) == (False, "unsubscribe")

    # Download my data.
    page.goto(f"{base}/{lang}/account/my-data/")
    with page.expect_download() as download:
        page.get_by_role("link", name=text["download"]).click()
    document = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert document["customer"] == email
    page.screenshot(path=artifacts_dir / f"rights-{lang}-export.png", full_page=True)

    # Close the account: confirm the password, tick the box, read the receipt.
    page.goto(f"{base}/{lang}/account/close/")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/account/close/$"))
    page.check("input[name=confirm]")
    page.get_by_role("button", name=text["close"]).click()
    expect(page.locator("h1")).to_have_text(text["closed"])
    code = page.locator(".receipt-code").inner_text()
    page.screenshot(path=artifacts_dir / f"rights-{lang}-receipt.png", full_page=True)
    assert not User.objects.filter(email=email).exists()
    assert ErasureReceipt.objects.count() == 1
    assert code in mail.outbox[-1].body and mail.outbox[-1].to == [email]
