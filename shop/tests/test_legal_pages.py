"""The legal pages in English and French, linked from every page's footer, printing the
seller's facts from configuration (settings.SHOP_SELLER), and the model withdrawal form
on the terms page and in the order confirmation e-mail."""

import pytest
from django.core import mail
from django.test import Client

from offtek.seller import SELLER_FACTS, seller_build
from shop.orders.emails import order_paid_email_send
from shop.tests.factories_orders import paid_order

pytestmark = pytest.mark.django_db

PAGES = {
    "en": {
        "/en/legal/terms/": "Terms of sale",
        "/en/legal/notice/": "Legal notice",
        "/en/legal/mediator/": "Consumer mediator",
    },
    "fr": {
        "/fr/legal/terms/": "Conditions générales de vente",
        "/fr/legal/notice/": "Mentions légales",
        "/fr/legal/mediator/": "Médiateur de la consommation",
    },
}
SELLER = seller_build(
    {
        "OFFTEK_SELLER_NAME": "Zqseller Memory Ltd",
        "OFFTEK_SELLER_LEGAL_FORM": "Private company limited by shares",
        "OFFTEK_SELLER_SHARE_CAPITAL": "£10,000",
        "OFFTEK_SELLER_REGISTRATION_NUMBER": "Companies House 01234567",
        "OFFTEK_SELLER_VAT_NUMBER": "GB123456789",
        "OFFTEK_SELLER_VAT_NUMBER_FR": "FR12345678901",
        "OFFTEK_SELLER_ADDRESS": "Unit 4;12 Dock Road",
        "OFFTEK_SELLER_POSTCODE": "BS1 4DJ",
        "OFFTEK_SELLER_CITY": "Bristol",
        "OFFTEK_SELLER_COUNTRY": "GB",
        "OFFTEK_SELLER_EMAIL": "hello@zqseller.example",
        "OFFTEK_SELLER_PHONE": "+44 117 496 0000",
        "OFFTEK_SELLER_DIRECTOR": "Zqdirector Person",
        "OFFTEK_HOST_NAME": "Zqhost Cloud SAS",
        "OFFTEK_HOST_ADDRESS": "1 rue du Serveur;75001 Paris;France",
        "OFFTEK_HOST_PHONE": "+33 1 00 00 00 00",
        "OFFTEK_MEDIATOR_NAME": "Zqmediator Consommation",
        "OFFTEK_MEDIATOR_URL": "https://zqmediator.example",
        "OFFTEK_MEDIATOR_ADDRESS": "2 avenue de la Médiation;75002 Paris",
    },
    fictional=False,
)


@pytest.fixture
def seller(settings):
    settings.SHOP_SELLER = SELLER
    return SELLER


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_links_the_legal_pages_in_its_footer(lang):
    home = Client().get(f"/{lang}/")
    footer = home.text.split('class="site-footer"', 1)[1]
    for path, title in PAGES[lang].items():
        assert f'href="{path}"' in footer and title in footer
        page = Client().get(path)
        assert page.status_code == 200 and f"<h1>{title}</h1>" in page.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_legal_notice_names_publisher_director_and_host(seller, lang):
    page = Client().get(f"/{lang}/legal/notice/").text
    for key in (
        "name",
        "legal_form",
        "share_capital",
        "registration_number",
        "vat_number",
        "vat_number_fr",
        "postcode",
        "city",
        "email",
        "phone",
        "director",
        "host_name",
        "host_phone",
    ):
        assert seller[key].replace("'", "&#x27;") in page, key
    assert "Unit 4" in page and "12 Dock Road" in page and "1 rue du Serveur" in page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_mediator_page_gives_name_website_and_address(seller, lang):
    page = Client().get(f"/{lang}/legal/mediator/").text
    assert "Zqmediator Consommation" in page
    assert 'href="https://zqmediator.example"' in page
    assert "2 avenue de la Médiation" in page and "75002 Paris" in page
    assert "L612-1" in page and "L616-1" in page


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        (
            "en",
            [
                "pounds sterling (GBP)",
                "euros (EUR)",
                "includes VAT",
                "debit or credit card",
                "Withdraw from contract here",
                "Confirm withdrawal",
                "Consumer Rights Act 2015",
                "L217-3",
                "hidden defects",
                "lifetime warranty",
                "consumer mediator",
                "Model withdrawal form",
                "Standard (2-4 working days)",
            ],
        ),
        (
            "fr",
            [
                "livres sterling (GBP)",
                "euros (EUR)",
                "comprennent la TVA",
                "carte bancaire",
                "Se rétracter du contrat ici",
                "Confirmer la rétractation",
                "Consumer Rights Act 2015",
                "L217-3",
                "vices cachés",
                "garantie à vie",
                "médiateur de la consommation",
                "Formulaire type de rétractation",
                "Standard (2 à 4 jours ouvrés)",
            ],
        ),
    ],
)
def test_the_terms_of_sale_cover_what_the_law_asks(seller, lang, phrases):
    page = Client().get(f"/{lang}/legal/terms/").text
    missing = [phrase for phrase in phrases if phrase not in page]
    assert missing == []
    assert "Zqseller Memory Ltd" in page and "BS1 4DJ Bristol" in page


def test_development_shows_fictional_seller_facts():
    page = Client().get("/en/legal/notice/").text
    assert "Offtek Demo Ltd (fictional)" in page
    assert "(fictional)" in page.split("Director of publication", 1)[1]


def test_every_fact_has_a_variable_and_a_fictional_value():
    demo = seller_build({}, fictional=True)
    assert set(demo) == {fact.key for fact in SELLER_FACTS}
    assert all(demo[fact.key] for fact in SELLER_FACTS if fact.required)
    assert seller_build({}, fictional=False)["name"] == ""  # never a silent demo value


@pytest.mark.parametrize(
    ("lang", "title", "button"),
    [
        ("en", "Model withdrawal form", "Withdraw from contract here"),
        ("fr", "Formulaire type de rétractation", "Se rétracter du contrat ici"),
    ],
)
def test_the_order_confirmation_carries_the_model_withdrawal_form(
    seller, lang, title, button, django_capture_on_commit_callbacks
):
    order = paid_order(user__language=lang)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # queued once it commits
        order_paid_email_send(order=order)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert title in body and button in body
        assert "Zqseller Memory Ltd" in body and "hello@zqseller.example" in body
