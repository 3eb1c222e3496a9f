import pytest
from django.urls import reverse

from privacy.tests.factories import PASSWORD, UserFactory
from shop.basket.services import SESSION_KEY
from shop.models import Basket, BasketLine
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import BasketLineFactory
from shop.tests.helpers import basket_add

pytestmark = pytest.mark.django_db


def lines(client) -> dict[str, int]:
    return {
        line.module.part_number: line.quantity
        for line in BasketLine.objects.select_related("module").filter(
            basket_id__in=Basket.objects.values("pk")
        )
    }


def test_anonymous_shopper_adds_changes_and_removes(client):
    module = ModuleFactory(stock=10, price_pence=1999)

    basket_add(client, module, 2)
    basket_add(client, module, 1)
    line = BasketLine.objects.get()
    assert line.quantity == 3
    assert line.basket.user is None
    assert client.session[SESSION_KEY] == line.basket_id

    client.post(reverse("shop:basket-line-update", args=[line.pk]), {"quantity": 5})
    page = client.get(reverse("shop:basket-detail"))
    assert "£99.95" in page.text
    assert 'class="basket-count"' in page.text and ">5</span>" in page.text

    client.post(reverse("shop:basket-line-remove", args=[line.pk]))
    assert not BasketLine.objects.exists()


def test_prices_are_always_the_catalogs_current_price(client):
    module = ModuleFactory(price_pence=1000)
    client.post(reverse("shop:basket-add"), {"module": module.pk, "quantity": 1, "price": 1})
    module.price_pence = 1500
    module.save()
    assert "£15.00" in client.get(reverse("shop:basket-detail")).text


def test_add_by_part_number(client):
    ModuleFactory(part_number="CT16G4SFRA32A")
    client.post(reverse("shop:basket-add-part"), {"part_number": "ct16g4sfra32a", "quantity": 2})
    assert lines(client) == {"CT16G4SFRA32A": 2}


@pytest.mark.parametrize("quantity", [-1, 0, 51, 10**12, "abc", ""])
def test_bad_quantities_are_refused_and_change_nothing(client, quantity):
    module = ModuleFactory(stock=100)
    basket_add(client, module, 1)
    response = client.post(reverse("shop:basket-add"), {"module": module.pk, "quantity": quantity})
    assert response.status_code == 302
    assert lines(client) == {module.part_number: 1}


@pytest.mark.parametrize("quantity", [-1, 51, 10**12])
def test_bad_line_quantities_are_refused(client, quantity):
    module = ModuleFactory(stock=100)
    basket_add(client, module, 2)
    line = BasketLine.objects.get()
    client.post(reverse("shop:basket-line-update", args=[line.pk]), {"quantity": quantity})
    line.refresh_from_db()
    assert line.quantity == 2


def test_quantity_is_checked_against_stock(client):
    module = ModuleFactory(stock=2)
    basket_add(client, module, 2)
    response = client.post(
        reverse("shop:basket-add"), {"module": module.pk, "quantity": 1}, follow=True
    )
    assert "Only 2 of" in response.text
    assert lines(client) == {module.part_number: 2}


def test_inactive_module_cannot_be_added(client):
    module = ModuleFactory(is_active=False)
    basket_add(client, module)
    assert not BasketLine.objects.exists()


def test_another_shoppers_basket_line_cannot_be_changed_or_removed(client):
    theirs = BasketLineFactory(quantity=3)
    basket_add(client, ModuleFactory())

    client.post(reverse("shop:basket-line-update", args=[theirs.pk]), {"quantity": 1})
    client.post(reverse("shop:basket-line-remove", args=[theirs.pk]))

    theirs.refresh_from_db()
    assert theirs.quantity == 3


def test_session_basket_merges_into_the_account_at_login(client):
    user = UserFactory()
    kept = ModuleFactory(stock=4)
    both = ModuleFactory(stock=10)
    BasketLineFactory(basket__user=user, module=both, quantity=2)
    basket_add(client, kept, 3)
    basket_add(client, both, 1)

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    basket = Basket.objects.get(user=user)
    assert {line.module_id: line.quantity for line in basket.lines.all()} == {
        kept.pk: 3,
        both.pk: 3,
    }
    assert Basket.objects.count() == 1
    assert ">6</span>" in client.get(reverse("shop:basket-detail")).text


def test_merge_caps_quantities_at_stock(client):
    user = UserFactory()
    module = ModuleFactory(stock=3)
    BasketLineFactory(basket__user=user, module=module, quantity=2)
    basket_add(client, module, 3)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert Basket.objects.get(user=user).lines.get().quantity == 3


def test_basket_page_queries_do_not_grow_with_lines(client, django_assert_max_num_queries):
    for _ in range(10):
        basket_add(client, ModuleFactory())
    # The first view also takes the ten "is in your basket" messages out of the session
    # (one write, since messages live in the session: issue 15), whatever the lines.
    with django_assert_max_num_queries(7):
        client.get(reverse("shop:basket-detail"))
    with django_assert_max_num_queries(6):
        client.get(reverse("shop:basket-detail"))


def test_signed_in_basket_page_queries(client, django_assert_max_num_queries):
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    for _ in range(5):
        basket_add(client, ModuleFactory())
    client.get(reverse("shop:basket-detail"))
    # The customer, their basket's lines with their modules, and their orders whose
    # reservation ran out; the session is in the cache and the header's count in the session.
    with django_assert_max_num_queries(3):
        page = client.get(reverse("shop:basket-detail"))
    assert page.text.count('data-testid="basket-line"') == 5
    assert "Unit price" in page.text
    assert "Prix unitaire" in client.get("/fr/basket/").text
