import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shop.models import FormFactor, Generation
from shop.tests.factories import ManufacturerFactory, ModuleFactory, SystemFactory
from shop.tests.french import french_catalogue_compiled

pytestmark = pytest.mark.django_db

QUERY_LIMIT = 8


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_catalog_lists_modules_on_sale_with_their_price(client):
    ModuleFactory(part_number="CT16G4SFRA32A", price_pence=4299)
    ModuleFactory(part_number="OFF-SALE", is_active=False)
    page = text(client.get("/en/memory/"))
    assert "CT16G4SFRA32A" in page
    assert "£42.99" in page
    assert "OFF-SALE" not in page
    assert "1 module" in page


def test_catalog_filters_combine(client):
    wanted = ModuleFactory(generation=Generation.DDR5, capacity_gb=32, speed_mts=5600, stock=3)
    ModuleFactory(generation=Generation.DDR5, capacity_gb=32, speed_mts=4800)
    ModuleFactory(generation=Generation.DDR4, capacity_gb=32, speed_mts=5600)
    ModuleFactory(generation=Generation.DDR5, capacity_gb=32, speed_mts=5600, stock=0)
    response = client.get("/en/memory/?generation=DDR5&capacity=32&speed=5600&in_stock=on")
    assert [m.pk for m in response.context["page"].object_list] == [wanted.pk]


def test_catalog_filters_on_ecc_price_and_form_factor(client):
    ecc = ModuleFactory(ecc=True, form_factor=FormFactor.DIMM, price_pence=5000)
    ModuleFactory(ecc=True, form_factor=FormFactor.DIMM, price_pence=9000)
    ModuleFactory(ecc=False, form_factor=FormFactor.DIMM, price_pence=5000)
    response = client.get("/en/memory/?form_factor=DIMM&ecc=yes&price_min=40&price_max=60")
    assert [m.pk for m in response.context["page"].object_list] == [ecc.pk]


def test_catalog_sorts(client):
    cheap = ModuleFactory(price_pence=1000, capacity_gb=4)
    dear = ModuleFactory(price_pence=9000, capacity_gb=32)
    assert list(client.get("/en/memory/?sort=-price").context["page"].object_list) == [
        dear,
        cheap,
    ]
    assert list(client.get("/en/memory/").context["page"].object_list) == [cheap, dear]
    assert list(client.get("/en/memory/?sort=-capacity").context["page"].object_list)[0] == dear


@pytest.mark.parametrize(
    ("query", "clean"),
    [
        ("generation=DDR9&capacity=banana", ""),
        ("capacity=&speed=&ecc=&sort=price", ""),
        ("generation=DDR4&unknown=1", "generation=DDR4"),
        ("price_min=-5&price_max=20", "price_max=20"),
        ("page=0", ""),
        ("sort=-price&generation=DDR4", "generation=DDR4&sort=-price"),
    ],
)
def test_catalog_urls_are_cleaned_to_a_bookmarkable_form(client, query, clean):
    response = client.get(f"/en/memory/?{query}")
    assert response.status_code == 302
    assert response["Location"] == "/en/memory/" + (f"?{clean}" if clean else "")
    assert client.get(response["Location"]).status_code == 200


def test_catalog_paginates_and_a_page_past_the_end_shows_the_last(client):
    ModuleFactory.create_batch(30)
    first = client.get("/en/memory/")
    assert len(first.context["page"].object_list) == 24
    assert 'href="?page=2"' in text(first)
    past_end = client.get("/en/memory/?page=99")
    assert past_end.status_code == 200
    assert past_end.context["page"].number == 2


def test_module_page_shows_every_specification_and_the_systems_it_fits(client):
    module = ModuleFactory(
        part_number="KVR2K16G4S32",
        brand="Kingston",
        kit_size=2,
        capacity_gb=16,
        cas_latency=22,
        voltage_mv=1200,
        stock=2,
        warranty_years=None,
    )
    SystemFactory(model="T480")
    SystemFactory(model="T490", slots=1)  # one slot: a kit of two does not fit
    page = text(client.get(module.get_absolute_url()))
    for expected in [
        "KVR2K16G4S32",
        "Kingston",
        "32 GB: a kit of 2 x 16 GB",
        "3200 MT/s",
        "CL22",
        "1.20 V",
        "Lifetime warranty",
        "Only 2 left",
        "Fits 1 system",
        "Lenovo ThinkPad T480",
    ]:
        assert expected in page, expected
    assert "T490" not in page


@pytest.mark.parametrize(
    ("stock", "warranty_years", "expected"),
    [(0, 3, ["Out of stock", "3-year warranty"]), (50, 1, ["In stock", "1-year warranty"])],
)
def test_module_page_stock_state_and_warranty_badge(client, stock, warranty_years, expected):
    module = ModuleFactory(stock=stock, warranty_years=warranty_years)
    page = text(client.get(module.get_absolute_url()))
    for phrase in expected:
        assert phrase in page


def test_module_page_caps_the_systems_it_fits_with_a_count(client):
    module = ModuleFactory()
    SystemFactory.create_batch(25)
    response = client.get(module.get_absolute_url())
    assert "Fits 25 systems" in text(response)
    assert len(response.context["systems"].object_list) == 20


def test_unknown_or_inactive_module_is_a_404(client):
    assert client.get("/en/memory/no-such-module/").status_code == 404
    hidden = ModuleFactory(is_active=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_finder_lists_manufacturers_then_their_models(client):
    dell = ManufacturerFactory(name="Dell", slug="dell")
    SystemFactory(manufacturer=dell, model_line="Latitude 5000", model="5490")
    SystemFactory(model="T480")
    start = text(client.get("/en/finder/"))
    assert 'href="/en/finder/?manufacturer=dell"' in start
    dell_page = text(client.get("/en/finder/?manufacturer=dell"))
    assert "1 Dell model" in dell_page
    assert 'href="/en/finder/dell-latitude-5000-5490/"' in dell_page
    assert "ThinkPad" not in dell_page


def test_finder_searches_by_model_name_with_a_plain_get_form(client):
    SystemFactory(model="T480")
    SystemFactory(model="X1 Carbon", model_line="ThinkPad X")
    response = client.get("/en/finder/?q=carbon")
    assert [s.model for s in response.context["systems"].object_list] == ["X1 Carbon"]


def test_finder_page_loads_its_script_with_the_csp_nonce(client):
    response = client.get("/en/finder/")
    page = text(response)
    script = re.search(r'<script src="/static/js/finder.js" nonce="([^"]+)"', page)
    assert script
    assert f"'nonce-{script.group(1)}'" in response["Content-Security-Policy"]
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers
    assert "style=" not in page


def test_finder_suggestions_are_json(client):
    SystemFactory(model="T480")
    SystemFactory(model="T490")
    response = client.get("/en/finder/suggestions/?q=t4")
    assert response["Content-Type"] == "application/json"
    labels = [s["label"] for s in response.json()["systems"]]
    assert labels == ["Lenovo ThinkPad T480", "Lenovo ThinkPad T490"]
    assert client.get("/en/finder/suggestions/?q=").json() == {"systems": []}


def test_system_page_shows_upgrade_advice_and_compatible_modules(client):
    system = SystemFactory(slots=2, max_per_slot_gb=16, max_total_gb=32, max_speed_mts=2666)
    fits = ModuleFactory(part_number="FITS-16", capacity_gb=16, speed_mts=3200)
    ModuleFactory(part_number="TOO-BIG", capacity_gb=32)
    page = text(client.get(system.get_absolute_url()))
    assert "2 slots, up to 32 GB in total." in page
    assert "2 x 16 GB for the maximum of 32 GB" in page
    assert fits.part_number in page
    assert "Runs at 2666 MT/s in this system" in page
    assert "TOO-BIG" not in page
    assert "1 compatible module" in page


def test_system_page_says_clearly_when_no_upgrade_is_possible(client):
    system = SystemFactory(soldered_only=True)
    page = text(client.get(system.get_absolute_url()))
    assert "This system takes no memory upgrade" in page
    assert "compatible module" not in page


def test_unknown_system_is_a_404(client):
    assert client.get("/en/finder/no-such-system/").status_code == 404


def test_search_finds_modules_and_systems(client):
    ModuleFactory(part_number="CT16G4SFRA32A")
    SystemFactory(model="T480")
    by_part = text(client.get("/en/search/?q=CT16G4SFRA32A"))
    assert "1 module" in by_part
    assert "CT16G4SFRA32A" in by_part
    by_model = text(client.get("/en/search/?q=thinkpad+t480"))
    assert "Lenovo ThinkPad T480" in by_model
    assert "1 computer" in by_model


def test_every_page_has_the_header_search_form(client):
    module = ModuleFactory()
    system = SystemFactory()
    for url in ["/en/", "/en/memory/", module.get_absolute_url(), system.get_absolute_url()]:
        assert 'action="/en/search/"' in text(client.get(url)), url


def test_home_leads_to_the_finder_and_the_catalog(client):
    SystemFactory()
    page = text(client.get("/en/"))
    assert 'href="/en/finder/"' in page
    assert 'href="/en/memory/"' in page
    assert 'href="/en/finder/?manufacturer=lenovo"' in page


@pytest.fixture
def french(settings, tmp_path):
    french_catalogue_compiled(settings=settings, directory=tmp_path)


def test_pages_are_in_french_under_fr(client, french):
    module = ModuleFactory(price_pence=4299, price_eur_cents=4999, warranty_years=None, stock=0)
    system = SystemFactory(soldered_only=True)
    assert "Modules de mémoire" in text(client.get("/fr/memory/"))
    module_page = text(client.get(module.get_absolute_url().replace("/en/", "/fr/")))
    assert "Garantie à vie" in module_page
    assert "49,99 €" in module_page  # /fr/ shows France's prices; no-break space collapsed
    assert "Rupture de stock" in module_page
    system_page = text(client.get(system.get_absolute_url().replace("/en/", "/fr/")))
    assert "Ce système n’accepte aucune extension de mémoire" in system_page
    assert "Sélecteur de mémoire" in text(client.get("/fr/finder/"))


def build_catalog(size):
    dell = ManufacturerFactory(name="Dell", slug="dell")
    ModuleFactory.create_batch(size)
    ModuleFactory.create_batch(size // 2, speed_mts=2400, kit_size=2, capacity_gb=8)
    SystemFactory.create_batch(size)
    SystemFactory.create_batch(size, manufacturer=dell, model_line="Latitude 5000")
    return ModuleFactory(), SystemFactory()


SHOPPER_PAGES = [
    "/en/",
    "/en/memory/",
    "/en/memory/?generation=DDR4&in_stock=on&sort=-price&page=2",
    "/en/finder/",
    "/en/finder/?manufacturer=dell",
    "/en/finder/?q=T4",
    "/en/finder/suggestions/?q=T4",
    "/en/search/?q=ddr4+16GB",
    "/fr/memory/",
    "{module}",
    "{system}",
]


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("url", SHOPPER_PAGES)
def test_query_counts_do_not_grow_with_the_catalog(
    client, django_assert_max_num_queries, size, url
):
    module, system = build_catalog(size)
    url = url.format(module=module.get_absolute_url(), system=system.get_absolute_url())
    with django_assert_max_num_queries(QUERY_LIMIT):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/en/memory/?page=99999999999999999999",
        "/en/memory/?page=-1&page=abc",
        "/en/memory/?capacity=1e9&speed=%00&price_min=99999999999",
        "/en/memory/?generation=DDR4&generation=DDR4&generation=%F0%9F%92%BE",
        "/en/memory/x%00y/",
        "/en/finder/?manufacturer=%27%3B+DROP+TABLE&q=" + "a" * 5000,
        "/en/finder/?page=999999&manufacturer=lenovo",
        "/en/finder/suggestions/?q=%00%01%02",
        "/en/finder/suggestions/?q=" + "%25_" * 2000,
        "/en/finder/%F0%9F%92%BE/",
        "/en/search/?q=" + "x" * 100_000,
        "/en/search/?q=%25%25%25___",
        "/en/search/?q=%00",
        "/en/search/?q=" + "+".join(["16GB"] * 500),
        "/en/search/?q[]=a&q=b",
        "/en/search/?q=99999+65536+9999GB+DDR5-99999+0+00000",
    ],
)
def test_bad_input_gives_a_normal_page_or_a_404(client, url):
    SystemFactory()
    ModuleFactory()
    response = client.get(url, follow=True)
    assert response.status_code in (200, 404)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(["/en/memory/", "/en/finder/", "/en/finder/suggestions/", "/en/search/"]),
    params=st.lists(
        st.tuples(
            st.sampled_from(
                ["q", "page", "generation", "form_factor", "capacity", "speed", "ecc", "sort"]
                + ["price_min", "price_max", "in_stock", "manufacturer", "x"]
            ),
            st.text(max_size=300),
        ),
        max_size=8,
    ),
)
def test_any_query_string_gives_a_normal_page(client, path, params):
    response = client.get(path, params, follow=True)
    assert response.status_code in (200, 404)


def test_module_page_offers_the_basket_form_while_in_stock(client):
    in_stock, sold_out = ModuleFactory(stock=3), ModuleFactory(stock=0)
    html = client.get(in_stock.get_absolute_url()).content.decode()
    assert f'name="module" value="{in_stock.pk}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert html.index('class="basket-add-form"') < html.index("Specifications")  # by the price
    html = client.get(sold_out.get_absolute_url()).content.decode()
    assert "basket-add-form" not in html
    assert "Specifications" in html
