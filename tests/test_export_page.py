"""The "My data" page and the erasure receipt speak the customer's language: a label
for every key and category, money as money, local dates, Yes/No, people's names for
kinds of records. The JSON download keeps its stable machine names."""

import datetime
import json
import re
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from privacy import registry
from privacy.disclosures import disclosure_record
from privacy.rights.erasure import account_close
from privacy.rights.export import export_build
from privacy.rights.export_page import export_page_sections, unlabelled_keys
from privacy.rights.receipts import receipt_lines
from privacy.tests.factories import ConsentRecordFactory, SecurityEventFactory, UserFactory
from shop.models import ReviewInvitation, SmsMessage, WarrantyClaim, WarrantyClaimEvent
from shop.tests.factories_orders import (
    AddressFactory,
    BasketFactory,
    BasketLineFactory,
    paid_order,
)

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 12, 1, 16, 46, tzinfo=datetime.UTC)
MACHINE_WORDS = [
    "first_name",
    "subtotal_pence",
    "total_pence",
    "granted",
    "False",
    "True",
    "None",
    "2026-12-01",
    "+00:00",
    "Users",
    "Email confirmations",
    "Disclosure ledger",
    "privacy.user",
]


@pytest.fixture
def customer():
    """A customer with a row in every kind of record the shop keeps."""
    with time_machine.travel(MOMENT, tick=False):
        user = UserFactory(first_name="Honorine", last_name="Dupont", phone="+447911123456")
        ConsentRecordFactory(user=user, granted=False)
        SecurityEventFactory(user=user)
        disclosure_record(
            user=user, processor="reviews", purpose="review-invitations", fields=["email"]
        )
        AddressFactory(user=user)
        order = paid_order(user=user, subtotal_pence=1299, delivery_phone="+447911123456")
        BasketLineFactory(basket=BasketFactory(user=user))
        SmsMessage.objects.create(
            order=order, kind="dispatched", to_number="+447911123456", body="On its way"
        )
        ReviewInvitation.objects.create(order=order, provider="trustpilot")
        claim = WarrantyClaim.objects.create(
            number="WC-1",
            line=order.lines.first(),
            user=user,
            reason="errors",
            symptoms="Blue screens",
        )
        WarrantyClaimEvent.objects.create(claim=claim, to_status="open", note="Received")
    return user


def test_every_declaration_has_a_title_for_people():
    for declaration in registry.declarations():
        assert declaration.title, f"{declaration.label} needs a title= for people"


def test_every_key_of_a_full_export_has_a_label(customer):
    document = export_build(user=customer)
    held = [s["key"] for s in document["sections"] if s["rows"]]
    assert len(held) >= 12, held  # the fixture fills (almost) every kind of record
    for language in ("en", "fr"):
        with translation.override(language):
            assert unlabelled_keys(document) == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_uses_people_words_in_the_customers_language(customer, language):
    client = Client()
    client.force_login(customer)
    html = unescape(client.get(f"/{language}/account/my-data/").text)
    main = html[html.index("<main") : html.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)  # what a person reads, not the anchors
    for word in MACHINE_WORDS:
        assert word not in text, word
    labels = re.findall(r"<dt>(.*?)</dt>", main)
    assert labels and all("_" not in label for label in labels)
    expected = {
        "en": [
            "Your account",
            "First name",
            "Honorine",
            "Customer since",
            "1 December 2026",
            "£12.99",
            "Said yes",
            "No",
            "Your orders",
            "Items",
            "Paid",
            "United Kingdom",
            "Who we passed your data to",
            "E-mail confirmation links",
            "Contact data",
            "Standard (2-4 working days)",
            "Signed in",
            "1 December 2026, 16:46",
        ],
        "fr": [
            "Votre compte",
            "Honorine",
            "Client depuis le",
            "1 décembre 2026",
            "12,99\xa0£",
            "Non",
            "Vos commandes",
            "Royaume-Uni",
            "À qui nous avons transmis vos données",
            "1 décembre 2026, 16:46",
        ],
    }[language]
    for text in expected:
        assert text in main, text


def test_the_json_keeps_its_machine_names(customer):
    client = Client()
    client.force_login(customer)
    document = json.loads(client.get("/fr/account/my-data.json").content)
    sections = {s["key"]: s for s in document["sections"]}
    order = sections["shop.order"]["rows"][0]
    assert order["subtotal_pence"] == 1299
    assert order["placed"].startswith("2026-12-01T16:46")
    assert order["delivery_address"]["delivery_country"] == "GB"
    assert sections["privacy.user"]["rows"][0]["first_name"] == "Honorine"
    assert sections["privacy.consentrecord"]["rows"][0]["granted"] is False
    assert sections["privacy.user"]["categories"] == ["contact", "identity"]


def test_sections_show_categories_and_purpose_in_words(customer):
    with translation.override("fr"):
        sections = export_page_sections(export_build(user=customer))
    user = next(s for s in sections if s.key == "privacy.user")
    assert user.title == "Votre compte"
    assert user.categories == ("Coordonnées", "Données d’identité")
    assert user.purpose


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_erasure_receipt_names_records_in_people_words(language):
    user = UserFactory(language=language)
    result = account_close(user=user)
    receipt = result.receipt
    with translation.override(language):
        titles = [str(line.title) for line in receipt_lines(receipt=receipt)]
    for machine in ("Users", "Email confirmations", "Disclosure ledger", "users"):
        assert machine not in titles
    assert {"en": "Your account", "fr": "Votre compte"}[language] in titles


@pytest.mark.parametrize(
    ("language", "heading", "kind"),
    [
        ("en", "Earlier versions (change history)", "<dt>Change</dt><dd>record changed"),
        ("fr", "Versions antérieures (historique des modifications)", "fiche modifiée"),
    ],
)
def test_the_page_shows_the_change_history_that_is_kept(customer, language, heading, kind):
    customer.first_name = "Hortense"
    customer.save()  # the earlier name stays in the change history, so it is shown
    client = Client()
    client.force_login(customer)
    html = unescape(client.get(f"/{language}/account/my-data/").text)
    account = html[html.index('id="privacy.user"') :]
    account = account[: account.index("</section>")]
    assert heading in account and kind in account
    assert "Honorine" in account and "Hortense" in account
    document = export_build(user=customer)
    [section] = [s for s in document["sections"] if s["key"] == "privacy.user"]
    assert {row["first_name"] for row in section["history"]} == {"Honorine", "Hortense"}
    assert "<dt>Record</dt>" not in account  # every key of a history row has a label
