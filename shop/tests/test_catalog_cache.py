import pytest

from privacy.tests.factories import UserFactory
from shop.services.catalog import modules_reprice, modules_stock_set
from shop.tests.factories import ModuleFactory, SystemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def test_a_saved_change_shows_at_once(client, django_capture_on_commit_callbacks):
    module = ModuleFactory(part_number="CT-STOCK", stock=0)
    assert "Out of stock" in client.get("/en/memory/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        module.stock = 40
        module.save()
    assert "In stock" in client.get("/en/memory/").content.decode()


def test_bulk_services_retire_cached_pages(client, django_capture_on_commit_callbacks):
    module = ModuleFactory(price_pence=1000, stock=0)
    system = SystemFactory()
    assert "£10.00" in client.get(system.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        modules_reprice(modules=[module], percent=50)
        modules_stock_set(modules=[module], stock=9)
    page = client.get(system.get_absolute_url()).content.decode()
    assert "£15.00" in page
    assert "In stock" in page


def test_a_new_system_appears_in_the_finder(client, django_capture_on_commit_callbacks):
    SystemFactory(model="T480")
    assert "T490" not in client.get("/en/finder/?q=T4").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        SystemFactory(model="T490")
    assert "T490" in client.get("/en/finder/?q=T4").content.decode()


def test_cached_pages_never_carry_one_visitors_layout_to_another(client):
    module = ModuleFactory()
    client.force_login(UserFactory(email="shopper@example.com"))
    signed_in = client.get(module.get_absolute_url()).content.decode()
    assert "Sign out" in signed_in
    client.logout()
    anonymous = client.get(module.get_absolute_url()).content.decode()
    assert "Sign out" not in anonymous
    assert "Sign in" in anonymous
    assert module.part_number in anonymous


def test_each_language_has_its_own_cached_page(client):
    module = ModuleFactory()
    english = client.get(module.get_absolute_url()).content.decode()
    french = client.get(module.get_absolute_url().replace("/en/", "/fr/")).content.decode()
    assert 'lang="en"' in english
    assert 'href="/fr/finder/"' in french
    assert 'href="/en/finder/"' not in french
