"""The disclosure ledger as the customer sees it (account page, export, EN + FR), the
e-mails of the privacy app that write to it, and the one registry behind the ledger's
processor keys and the privacy page's list of processors."""

import ast
import json
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from privacy import policy
from privacy.consent.marketing import newsletter_send
from privacy.consent.services import consents_record
from privacy.disclosures import disclosure_record
from privacy.models import ConsentSource, Disclosure, Newsletter
from privacy.tests.factories import PASSWORD, ConsentRecordFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("providers")]
ROOT = Path(__file__).resolve().parents[2]


def _newsletter():
    return Newsletter.objects.create(
        subject_en="DDR5", body_en="Stock.", subject_fr="DDR5", body_fr="Stock."
    )


def test_each_newsletter_sent_is_a_disclosure_to_the_email_provider(
    django_capture_on_commit_callbacks,
):
    yes = ConsentRecordFactory().user
    ConsentRecordFactory(purpose="review-invitations")  # a yes to something else
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_send(newsletter=_newsletter())
    [row] = Disclosure.objects.all()
    assert (row.user, row.processor, row.purpose) == (yes, "email", "marketing-email")
    assert (row.categories, row.fields) == (
        ["contact"],
        ["email", "subject", "message", "unsubscribe link"],
    )


def test_a_consent_withdrawn_before_the_copy_is_queued_sends_and_records_nothing(
    django_capture_on_commit_callbacks,
):
    customer = ConsentRecordFactory().user
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert newsletter_send(newsletter=_newsletter()) == 1
    consents_record(
        user=customer, choices={"marketing-email": False}, source=ConsentSource.DASHBOARD
    )
    for callback in callbacks:
        callback()
    assert mail.outbox == [] and not Disclosure.objects.exists()


def test_the_sign_up_email_is_a_disclosure_for_the_account(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    [row] = Disclosure.objects.filter(user__email="new@example.com")
    assert (row.processor, row.purpose, row.fields) == (
        "email",
        "account",
        ["email", "subject", "message"],
    )


def test_a_disclosure_outside_its_purposes_categories_is_refused():
    user = UserFactory()
    with pytest.raises(ValueError, match="categories"):
        disclosure_record(
            user=user,
            processor="email",
            purpose="statistics",
            categories=["contact"],
            fields=["email"],
        )
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", ["Who received my data", "Text message provider", "mobile number"]),
        ("fr", ["Qui a reçu mes données", "Fournisseur d’envoi de SMS", "numéro de mobile"]),
    ],
)
def test_the_customer_sees_their_disclosures_in_their_language(client, language, texts):
    user = UserFactory()
    other = UserFactory()
    disclosure_record(
        user=user,
        processor="sms",
        purpose="orders",
        categories=["contact"],
        fields=["phone", "message"],
        reference="OT-2026-AAA111",
    )
    disclosure_record(
        user=other, processor="couriers", purpose="orders", fields=["name"], reference="OT-X"
    )
    client.force_login(user)
    with translation.override(language):
        url = reverse("privacy:disclosures")
        account = client.get(reverse("privacy:account-detail")).content.decode()
        page = client.get(url).content.decode()
    assert url in account
    for text in texts:
        assert text in page
    assert "OT-2026-AAA111" in page and "OT-X" not in page


def test_the_disclosure_page_needs_a_login(client):
    response = client.get(reverse("privacy:disclosures"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_export_names_processor_purpose_and_data_in_the_customers_language(client):
    user = UserFactory()
    disclosure_record(
        user=user,
        processor="payment",
        purpose="orders",
        categories=["transaction"],
        fields=["order number", "amount"],
    )
    client.force_login(user)
    document = json.loads(client.get(reverse("privacy:export-download")).content)
    [section] = [s for s in document["sections"] if s["key"] == "privacy.disclosure"]
    [row] = section["rows"]
    assert (row["processor"], row["processor_name"]) == ("payment", "Stripe (card payments)")
    assert row["categories_names"] == ["Transaction data"]
    assert row["fields_names"] == ["order number", "amount"]
    page = client.get("/fr/account/my-data/").content.decode()
    assert "Stripe (paiements par carte)" in page and "numéro de commande" in page


def _processor_keys_in(source: str) -> set[str]:
    """Every constant ``processor=`` given to a call in ``source``."""
    return {
        keyword.value.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "processor" and isinstance(keyword.value, ast.Constant)
    }


def _processor_keys_written_by_code() -> set[str]:
    """The keys the code in shop/ and privacy/ (not tests) can write to the ledger."""
    found = set()
    for package in ("shop", "privacy"):
        for file in (ROOT / package).rglob("*.py"):
            if "/tests/" not in file.as_posix():
                found |= _processor_keys_in(file.read_text())
    return found


def test_control_the_walk_finds_a_processor_key_written_anywhere():
    source = "def send(user):\n    disclosure_record(user=user, processor='gossip', fields=[])\n"
    assert _processor_keys_in(source) == {"gossip"}
    assert "gossip" not in policy.PROCESSORS  # so the test below would fail on it


def test_the_ledgers_processors_are_the_privacy_pages_in_both_languages(client, settings):
    # Every service configured: the privacy page lists a processor only while it is
    # (privacy/tests/test_policy_pages_agree.py).
    settings.PAYMENT_GATEWAY = "stripe"
    settings.SMS_BACKEND = "http"
    settings.REVIEW_PROVIDER_BACKEND = "provider"
    written = _processor_keys_written_by_code()
    # Couriers, reviews, e-mails, text messages, payment: every send the shop makes.
    assert {"couriers", "reviews", "email", "sms", "payment"} <= set(written)
    assert written <= set(policy.PROCESSORS)
    for language in ("en", "fr"):
        with translation.override(language):
            page = client.get(reverse("privacy:policy")).content.decode()
            for key in written:
                assert f'id="processor-{key}"' in page
                assert str(policy.PROCESSORS[key].label) in page


class RefusingEmailBackend:
    """An e-mail provider that takes nothing (a server that is down)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the e-mail provider is down")


def test_a_queued_email_the_provider_refused_is_a_failed_attempt_then_a_sent_one(
    settings, django_capture_on_commit_callbacks
):
    from privacy.emails import email_send

    user = UserFactory()
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingEmailBackend"}}

    def send():
        email_send(
            to=user.email,
            template="privacy/emails/request_verify",
            context={"verify_url": "https://shop.test/x"},
            language="en",
            user=user,
            purpose="customer-care",
        )

    with django_capture_on_commit_callbacks(execute=True):
        send()  # the attempt fails: the e-mail waits for its retry
    [failed] = Disclosure.objects.all()
    assert (failed.outcome, failed.attempt) == ("failed", 1)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        send()
    [row] = Disclosure.objects.exclude(pk=failed.pk)
    assert (row.user, row.processor, row.purpose) == (user, "email", "customer-care")
    assert (row.outcome, row.attempt) == ("sent", 1)
