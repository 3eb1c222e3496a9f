"""The privacy page and the contact page name the CNIL (a French customer's authority)
beside the ICO, with address and website; the reader's country's authority first."""

from html import unescape

import pytest
from django.test import Client

from privacy import policy

pytestmark = pytest.mark.django_db


def authorities_in(html):
    return [key for key in ("ico", "cnil") if f'data-authority="{key}"' in html]


@pytest.mark.parametrize("path", ["privacy/", "privacy/contact/"])
def test_the_french_page_names_the_cnil_first_and_the_ico(path):
    html = unescape(Client().get(f"/fr/{path}").text)
    assert "Commission nationale de l’informatique et des libertés (CNIL)" in html
    assert "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France" in html
    assert 'href="https://www.cnil.fr/fr/plaintes"' in html
    assert "Clients en France" in html
    assert "Information Commissioner’s Office (ICO)" in html
    assert "Wycliffe House" in html
    assert html.index('data-authority="cnil"') < html.index('data-authority="ico"')


@pytest.mark.parametrize("path", ["privacy/", "privacy/contact/"])
def test_the_english_page_names_both_the_ico_first(path):
    html = unescape(Client().get(f"/en/{path}").text)
    assert "Information Commissioner's Office (ICO)" in html
    assert "Commission nationale de l'informatique et des libertés (CNIL)" in html
    assert "Customers in France" in html
    assert html.index('data-authority="ico"') < html.index('data-authority="cnil"')
    assert policy.COMPLAINTS["phone"] in html and policy.COMPLAINTS_FRANCE["phone"] in html


def test_every_authority_is_listed_once_in_each_language():
    for language in ("en", "fr"):
        keys = [a["key"] for a in policy.complaint_authorities(language)]
        assert sorted(keys) == ["cnil", "ico"]
