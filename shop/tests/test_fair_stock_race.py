"""Two accounts of one network racing for a module's stock: the fair share holds only
because it is counted under the modules' row locks (PostgreSQL)."""

import pytest
from django.db.models import Sum

from privacy.tests.races import racers_meet_at, run_together
from shop.checkout import services as checkout_services
from shop.checkout.services import CheckoutError, order_place
from shop.models import Order, OrderLine
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import BasketFactory, BasketLineFactory
from shop.tests.test_concurrency import ADDRESS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def both_counted_before_either_orders():
    """Hold each racing checkout as it creates its order (after it has counted what
    its network holds) until the other gets there too."""
    with racers_meet_at(Order):
        yield


@pytest.mark.parametrize(
    ("locking", "orders_expected"),
    [(True, 1), (False, 2)],
    ids=["with-row-locks", "control-without-locks-the-network-takes-more"],
)
def test_two_accounts_of_one_network_at_once_get_one_share(
    monkeypatch, both_counted_before_either_orders, locking, orders_expected
):
    monkeypatch.setattr(checkout_services, "LOCK_STOCK", locking)
    module = ModuleFactory(stock=47)  # a network's share: 16; a customer's: 9
    baskets = [BasketFactory(), BasketFactory()]
    for basket in baskets:
        BasketLineFactory(basket=basket, module=module, quantity=9)

    results = run_together(
        [
            lambda b=b, ip=ip: order_place(
                user=b.user, basket=b, address=ADDRESS, delivery_code="standard", client_ip=ip
            )
            for b, ip in zip(baskets, ["2001:db8:77:1::5", "2001:db8:77:1::6"], strict=True)
        ]
    )

    held = OrderLine.objects.filter(module=module).aggregate(units=Sum("quantity"))["units"]
    assert Order.objects.count() == orders_expected
    assert held == 9 * orders_expected  # the control: 18, over the network's 16
    if locking:
        module.refresh_from_db()
        assert module.stock == 47 - 9
        refused = next(r for r in results if not isinstance(r, Order))
        assert isinstance(refused, CheckoutError) and "your network" in str(refused)
