"""A shopper finds their computer with the memory finder and opens a module that fits,
in English and in French."""

import re

import pytest
from playwright.sync_api import expect

from shop.tests.factories import ManufacturerFactory, ModuleFactory, SystemFactory
from shop.tests.french import french_catalogue_compiled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {
        "finder": "Memory finder",
        "advice": "2 x 32 GB for the maximum of 64 GB",
        "compatible": "1 compatible module",
        "warranty": "Lifetime warranty",
        "price": "£54.99",
    },
    "fr": {
        "finder": "Sélecteur de mémoire",
        "advice": "2 x 32 Go pour le maximum de 64 Go",
        "compatible": "1 module compatible",
        "warranty": "Garantie à vie",
        "price": "63,99 €",  # the France market's own price list
    },
}


@pytest.fixture
def catalog():
    dell = ManufacturerFactory(name="Dell", slug="dell")
    system = SystemFactory(
        manufacturer=dell,
        model_line="Latitude 5000",
        model="5490",
        slots=2,
        max_per_slot_gb=32,
        max_total_gb=64,
    )
    SystemFactory(manufacturer=dell, model_line="Latitude 5000", model="5590")
    module = ModuleFactory(
        part_number="CT32G4SFD832A", capacity_gb=32, price_pence=5499, price_eur_cents=6399
    )
    ModuleFactory(part_number="TOO-OLD", generation="DDR3")
    return system, module


@pytest.mark.parametrize("language", ["en", "fr"])
def test_find_a_system_then_open_a_compatible_module(
    live_server, page, catalog, artifacts_dir, language, settings, tmp_path
):
    if language == "fr":
        french_catalogue_compiled(settings=settings, directory=tmp_path)
    system, module = catalog
    text = TEXT[language]
    console_errors = []
    page.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )

    page.goto(f"{live_server.url}/{language}/")
    page.locator(f"a[href='/{language}/finder/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["finder"])

    page.locator("#id_manufacturer").select_option("dell")
    page.locator("#finder-q").press_sequentially("549", delay=50)
    suggestion = page.locator("#finder-suggestions a", has_text="Latitude 5000 5490")
    expect(suggestion).to_be_visible()
    page.screenshot(path=artifacts_dir / f"finder-suggestions-{language}.png", full_page=True)
    suggestion.click()

    expect(page).to_have_url(re.compile(rf"/{language}/finder/{system.slug}/$"))
    expect(page.locator(".upgrade-paths")).to_contain_text(text["advice"])
    expect(page.locator("#compatible-title")).to_have_text(text["compatible"])
    expect(page.locator(".module-list")).not_to_contain_text("TOO-OLD")
    page.screenshot(path=artifacts_dir / f"finder-system-{language}.png", full_page=True)

    page.locator(".module-list a", has_text="32").first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/memory/{module.slug}/$"))
    expect(page.locator(".module-detail")).to_contain_text(module.part_number)
    expect(page.locator(".module-detail .badge-warranty").first).to_have_text(text["warranty"])
    expect(page.locator(".module-detail .price")).to_contain_text(text["price"])
    expect(page.locator(".system-list")).to_contain_text("Dell Latitude 5000 5490")
    page.screenshot(path=artifacts_dir / f"finder-module-{language}.png", full_page=True)

    assert console_errors == []  # no CSP violation, no script error


def test_the_finder_works_without_javascript(live_server, browser, catalog, artifacts_dir):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/finder/")
    page.locator("#finder-q").fill("5490")
    page.get_by_role("button", name="Find my computer").click()
    expect(page).to_have_url(re.compile(r"/en/finder/\?manufacturer=&q=5490$"))
    page.get_by_role("link", name="5490").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Memory for Dell Latitude 5000 5490")
    page.screenshot(path=artifacts_dir / "finder-no-javascript.png", full_page=True)
    context.close()
