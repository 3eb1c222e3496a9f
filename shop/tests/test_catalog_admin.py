import pytest
from allauth.mfa.models import Authenticator
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from privacy.models import User
from shop.models import Module, OverrideKind
from shop.tests.factories import ModuleFactory, SystemFactory

pytestmark = pytest.mark.django_db

MODULES = "/en/admin/shop/module/"
SYSTEMS = "/en/admin/shop/system/"


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("staff@offtek.example", "a-long-staff-password")
    Authenticator.objects.create(user=user, type="totp", data={"secret": "x"})
    client.force_login(user)
    return client


def test_staff_without_mfa_cannot_use_the_admin(client):
    user = User.objects.create_superuser("nomfa@offtek.example", "a-long-staff-password")
    client.force_login(user)
    assert client.get(MODULES).status_code == 302


def test_module_list_filters_and_searches(staff_client):
    ModuleFactory(part_number="CT16G4SFRA32A", brand="Crucial")
    ModuleFactory(part_number="KVR8G", brand="Kingston", generation="DDR5")
    page = staff_client.get(MODULES, {"q": "ct16"}).content.decode()
    assert "CT16G4SFRA32A" in page
    assert "KVR8G" not in page
    page = staff_client.get(MODULES, {"generation__exact": "DDR5"}).content.decode()
    assert "KVR8G" in page
    assert "CT16G4SFRA32A" not in page


def test_price_and_stock_are_editable_in_the_list(staff_client):
    module = ModuleFactory(price_pence=1000, stock=1)
    response = staff_client.post(
        MODULES,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(module.pk),
            "form-0-price_pence": "1250",
            "form-0-price_eur_cents": "1499",
            "form-0-stock": "7",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert (module.price_pence, module.price_eur_cents, module.stock) == (1250, 1499, 7)
    assert module.history.count() == 2


def test_reprice_action_asks_for_a_percentage_then_applies_it(staff_client):
    modules = [
        ModuleFactory(price_pence=1000, price_eur_cents=1199),
        ModuleFactory(price_pence=2000, price_eur_cents=2399),
    ]
    selected = {ACTION_CHECKBOX_NAME: [m.pk for m in modules], "action": "reprice"}
    form_page = staff_client.post(MODULES, selected)
    assert form_page.status_code == 200
    assert "Change prices" in form_page.content.decode()
    assert Module.objects.get(pk=modules[0].pk).price_pence == 1000
    done = staff_client.post(MODULES, {**selected, "apply": "1", "percent": "-10"})
    assert done.status_code == 302
    assert sorted(Module.objects.values_list("price_pence", flat=True)) == [900, 1800]
    # Every market's price list moves, each rounded to its own cent.
    assert sorted(Module.objects.values_list("price_eur_cents", flat=True)) == [1079, 2159]


def test_reprice_action_refuses_a_percentage_out_of_range(staff_client):
    module = ModuleFactory(price_pence=1000)
    response = staff_client.post(
        MODULES,
        {ACTION_CHECKBOX_NAME: [module.pk], "action": "reprice", "apply": "1", "percent": "-99"},
    )
    assert response.status_code == 200  # the form again, with its error
    module.refresh_from_db()
    assert module.price_pence == 1000


def test_stock_action_sets_the_count(staff_client):
    modules = ModuleFactory.create_batch(3, stock=1)
    response = staff_client.post(
        MODULES,
        {
            ACTION_CHECKBOX_NAME: [m.pk for m in modules],
            "action": "set_stock",
            "apply": "1",
            "stock": "25",
        },
    )
    assert response.status_code == 302
    assert set(Module.objects.values_list("stock", flat=True)) == {25}


def test_module_history_page(staff_client):
    module = ModuleFactory(stock=1)
    module.stock = 5
    module.save()
    response = staff_client.get(f"{MODULES}{module.pk}/history/")
    assert response.status_code == 200


def test_system_admin_has_overrides_inline(staff_client):
    system = SystemFactory()
    module = ModuleFactory()
    page = staff_client.get(f"{SYSTEMS}{system.pk}/change/")
    assert page.status_code == 200
    assert "compatibility override" in page.content.decode().lower()
    form = {
        "manufacturer": system.manufacturer_id,
        "model_line": system.model_line,
        "model": system.model,
        "slug": system.slug,
        "kind": system.kind,
        "slots": 2,
        "soldered_gb": 0,
        "max_per_slot_gb": 32,
        "max_total_gb": 64,
        "generations": "DDR4",
        "ecc_support": "none",
        "form_factor": system.form_factor,
        "max_speed_mts": 3200,
        "overrides-TOTAL_FORMS": "1",
        "overrides-INITIAL_FORMS": "0",
        "overrides-0-module": module.pk,
        "overrides-0-kind": OverrideKind.EXCLUDE,
        "overrides-0-note": "BIOS refuses this kit",
    }
    response = staff_client.post(f"{SYSTEMS}{system.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert system.overrides.get().kind == OverrideKind.EXCLUDE


def test_system_list_searches_by_model(staff_client):
    SystemFactory(model="T480")
    SystemFactory(model="X1 Carbon")
    page = staff_client.get(SYSTEMS, {"q": "carbon"}).content.decode()
    assert "X1 Carbon" in page
    assert "T480" not in page
