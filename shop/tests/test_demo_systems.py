"""The demo catalog tells the truth about real machines: a real model name carries
exactly the facts of shop/catalog/demo/real_systems.csv, which match the shop's research
file; every made-up system has a "(demo)" maker and follows the history of memory
generations; a banner says the catalog is demo data while it is."""

import csv
import re
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

from privacy.models import User
from shop.catalog.demo import ranges
from shop.catalog.demo.generations import generation_rule_breaches
from shop.catalog.demo.ranges import DEMO_MARK, PLATFORMS, ModelLine, Platform
from shop.catalog.demo.real_systems import FACT_COLUMNS, real_system_rows, system_facts
from shop.catalog.services import demo_data_remove
from shop.catalog.views import FINDER_EXAMPLES
from shop.models import CatalogSource, System
from shop.tests.french import french_catalogue_compiled

pytestmark = pytest.mark.django_db

FACT_FIELDS = list(system_facts(real_system_rows()[0]))


def research_file():
    """shared/hardware/systems.csv, beside the repository (or beside a folder holding
    it, for a git worktree). Its absence is a failure: the facts must be checked."""
    for folder in Path(django_settings.BASE_DIR).resolve().parents:
        candidate = folder / "shared" / "hardware" / "systems.csv"
        if candidate.exists():
            return candidate
    pytest.fail("shared/hardware/systems.csv was not found beside the repository")


def load(systems, modules=60, seed=1):
    call_command(
        "load_demo_catalog",
        "--systems",
        str(systems),
        "--modules",
        str(modules),
        "--seed",
        str(seed),
        "--replace",
    )


def catalog_problems():
    """Every system that breaks the rules, in plain sentences."""
    real = {(row["manufacturer"], row["model"]): row for row in real_system_rows()}
    real_makers = {maker for maker, _model in real}
    problems = []
    for system in System.objects.select_related("manufacturer"):
        maker = system.manufacturer.name
        row = real.get((maker, system.model))
        if row is not None:
            facts = {field: getattr(system, field) for field in FACT_FIELDS}
            if facts != system_facts(row):
                problems.append(f"{system}: not the facts of its source")
        elif maker in real_makers or DEMO_MARK not in maker:
            problems.append(f"{system}: a real maker's name with made-up specifications")
        else:
            problems.extend(generation_rule_breaches(system))
    return problems


def test_the_reference_file_holds_the_research_facts_unchanged():
    with research_file().open(encoding="utf-8", newline="") as file:
        research = {(row["manufacturer"], row["model"]): row for row in csv.DictReader(file)}
    ours = {(row["manufacturer"], row["model"]): row for row in real_system_rows()}
    assert ours.keys() == research.keys()
    for key, row in ours.items():
        assert {column: row[column] for column in FACT_COLUMNS} == {
            column: research[key][column] for column in FACT_COLUMNS
        }, key
        assert row["source_url"].startswith("http")


@pytest.mark.parametrize("systems", [10, 60, 400, 5000])
def test_every_generated_system_is_real_or_plainly_made_up_and_follows_history(systems):
    load(systems)
    assert System.objects.count() == systems
    assert catalog_problems() == []


def test_real_machines_come_first_with_their_source():
    load(60)
    t460p = System.objects.get(model="ThinkPad T460p")
    assert (t460p.generations, t460p.form_factor, t460p.slots, t460p.max_total_gb) == (
        "DDR4",
        "SODIMM",
        2,
        32,
    )
    mini = System.objects.get(model="Mac mini (Late 2014)")
    assert (mini.generations, mini.slots, mini.soldered_gb, mini.form_factor) == (
        "LPDDR3",
        0,
        None,
        "",
    )
    page = Client().get(t460p.get_absolute_url()).content.decode()
    assert "memoryupgradecompany.com/memory/IBMLenovoThinkPadT460p" in page
    assert "2133 MT/s" in page


def test_the_check_catches_a_ddr5_machine_from_2014(monkeypatch):
    wrong = Platform("DDR5", "SODIMM", 2, 32, 64, 5600, (2014, 2014))
    monkeypatch.setitem(PLATFORMS, "ddr5-laptop", wrong)
    load(200)
    assert any("DDR5 in 2014" in problem for problem in catalog_problems())


def test_the_check_catches_a_real_name_with_made_up_specs(monkeypatch):
    lines = [ModelLine("Lenovo", "ThinkPad T", "laptop", ("ddr4-laptop",), 450, 10)]
    monkeypatch.setattr(ranges, "MODEL_LINES", lines)
    monkeypatch.setattr("shop.catalog.demo.services.MODEL_LINES", lines)
    load(60)
    assert any("real maker" in problem for problem in catalog_problems())


def test_the_check_catches_a_real_machine_with_other_facts():
    load(50)
    System.objects.filter(model="ThinkPad T460p").update(generations="DDR3L")
    assert catalog_problems() == ["Lenovo ThinkPad T460p: not the facts of its source"]


@pytest.mark.parametrize("systems", [2, 250])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_example_on_the_finder_page_finds_a_machine(systems, language):
    load(systems)
    page = Client().get(f"/{language}/finder/").content.decode()
    placeholder = re.search(r'id="finder-q"[^>]*placeholder="([^"]+)"', page, re.S).group(1)
    for example in FINDER_EXAMPLES:
        assert example in placeholder
        found = Client().get(f"/{language}/finder/", {"q": example}).content.decode()
        models = re.findall(rf'<a href="/{language}/finder/[a-z0-9-]+/">([^<]+)</a>', found)
        assert any(example in model for model in models), (example, models)


BANNER = {"en": "Demo catalog:", "fr": "Catalogue de démonstration :"}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_banner_says_the_catalog_is_demo_data_until_the_flag_is_cleared(
    language, settings, tmp_path, django_capture_on_commit_callbacks
):
    french_catalogue_compiled(settings=settings, directory=tmp_path)
    load(60)
    system = System.objects.get(model="ThinkPad T460p")
    pages = [
        f"/{language}/",
        f"/{language}/memory/",
        f"/{language}/finder/",
        system.get_absolute_url().replace("/en/", f"/{language}/"),
    ]
    for url in pages:
        for _visit in range(2):  # the second visit gets the cached page
            assert BANNER[language] in Client().get(url).content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        demo_data_remove()
    for url in pages:
        assert BANNER[language] not in Client().get(url).content.decode(), url


def test_staff_clear_the_demo_flag_in_the_admin(django_capture_on_commit_callbacks):
    load(20)
    assert BANNER["en"] in Client().get("/en/memory/").content.decode()
    user = User.objects.create_superuser("catalog@offtek.example", "a-long-staff-password")
    Authenticator.objects.create(user=user, type="totp", data={"secret": "x"})
    staff = Client()
    staff.force_login(user)
    source = CatalogSource.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/en/admin/shop/catalogsource/{source.pk}/change/", {})
    assert response.status_code == 302
    assert not CatalogSource.objects.get().is_demo
    assert BANNER["en"] not in Client().get("/en/memory/").content.decode()
