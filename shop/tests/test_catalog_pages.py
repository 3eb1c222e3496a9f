"""Catalog page details: a meta description on every public page in the page's
language, breadcrumbs with one crumb per level, finder suggestions that keep their
language, and systems whose facts the source leaves open."""

import re
from html import unescape

import pytest
from django.test import Client

from shop.catalog.selectors import modules_compatible_with, systems_compatible_with
from shop.tests.factories import ManufacturerFactory, ModuleFactory, SystemFactory
from shop.tests.french import french_catalogue_compiled

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


@pytest.fixture
def french(settings, tmp_path):
    french_catalogue_compiled(settings=settings, directory=tmp_path)


@pytest.fixture
def thinkpad():
    lenovo = ManufacturerFactory(name="Lenovo", slug="lenovo")
    return SystemFactory(manufacturer=lenovo, model_line="ThinkPad T", model="ThinkPad T450")


def description(url):
    found = DESCRIPTION.findall(Client().get(url).content.decode())
    assert len(found) == 1, url
    return unescape(found[0])


EXPECTED = {
    "en": {
        "/": "tell us your computer",
        "/memory/": "filter by generation",
        "module": "specifications, price, stock",
        "/finder/": "Find the memory that fits your computer",
        "system": "Memory upgrades for Lenovo ThinkPad T450",
        "/search/?q=x": "Search memory modules",
        "/privacy/": "Offtek: memory upgrades",
    },
    "fr": {
        "/": "indiquez votre ordinateur",
        "/memory/": "filtrez par génération",
        "module": "caractéristiques, prix, stock",
        "/finder/": "Trouvez la mémoire compatible",
        "system": "Extensions mémoire pour Lenovo ThinkPad T450",
        "/search/?q=x": "Recherchez des modules",
        "/privacy/": "Offtek : extensions mémoire",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_public_page_has_a_description_in_its_language(language, french, thinkpad):
    module = ModuleFactory(part_number="CT16G4SFRA32A")
    pages = {
        "module": f"/{language}/memory/{module.slug}/",
        "system": f"/{language}/finder/{thinkpad.slug}/",
    }
    for page, expected in EXPECTED[language].items():
        url = pages.get(page, f"/{language}{page}")
        assert expected in description(url), url
        assert expected in description(url), f"{url} from the page cache"


def test_the_breadcrumb_gives_each_level_its_own_crumb(thinkpad):
    page = Client().get(thinkpad.get_absolute_url()).content.decode()
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)
    items = [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li.*?</li>", crumbs, re.S)
    ]
    assert items == ["Memory finder", "Lenovo", "ThinkPad T", "ThinkPad T450"]
    assert "ThinkPad T ThinkPad" not in page


@pytest.mark.parametrize("first", ["en", "fr"])
def test_finder_suggestions_open_pages_in_their_own_language(first, french, thinkpad):
    second = "fr" if first == "en" else "en"
    for language in (first, second, first):
        answer = Client().get(f"/{language}/finder/suggestions/", {"q": "T450"}).json()
        assert [item["url"] for item in answer["systems"]] == [
            f"/{language}/finder/{thinkpad.slug}/"
        ]


def test_a_fact_the_source_leaves_open_is_shown_as_such():
    system = SystemFactory(
        slots=4, max_per_slot_gb=None, max_total_gb=64, form_factor="", max_speed_mts=None
    )
    page = Client().get(system.get_absolute_url()).content.decode()
    assert "Not stated by the source" in page
    assert "does not say which form factor" in page
    assert "MT/s" not in page.split("upgrade-advice")[1].split("</dl>")[0]
    soldered = SystemFactory(slots=0, soldered_gb=None, max_per_slot_gb=None, form_factor="")
    page = Client().get(soldered.get_absolute_url()).content.decode()
    assert "depends on the configuration bought" in page
    assert "takes no memory upgrade" in page


def test_a_system_that_takes_two_form_factors_fits_modules_of_either():
    system = SystemFactory(
        kind="server", form_factor="RDIMM,LRDIMM", generations="DDR4", slots=8,
        max_per_slot_gb=128, max_total_gb=1024, ecc_support="required", supports_registered=True,
    )  # fmt: skip
    rdimm = ModuleFactory(part_number="R-32", form_factor="RDIMM", ecc=True, registered=True,
                          capacity_gb=32)  # fmt: skip
    lrdimm = ModuleFactory(part_number="LR-64", form_factor="LRDIMM", ecc=True,
                           registered=True, capacity_gb=64)  # fmt: skip
    ModuleFactory(part_number="SO-16", form_factor="SODIMM", capacity_gb=16)
    assert set(modules_compatible_with(system).values_list("part_number", flat=True)) == {
        "R-32", "LR-64",
    }  # fmt: skip
    assert system in systems_compatible_with(lrdimm)
    assert system in systems_compatible_with(rdimm)
