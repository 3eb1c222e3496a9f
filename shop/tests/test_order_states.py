"""Property: whatever sequence of moves is asked for, the state machine follows its
table exactly, and stock is given back at most once."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shop.checkout.services import DeliveryAddress, order_place
from shop.models import OrderStatus
from shop.orders.services import TRANSITIONS, IllegalTransition, order_transition
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import BasketFactory, BasketLineFactory

pytestmark = pytest.mark.django_db

ADDRESS = DeliveryAddress(
    name="A", line1="1 Road", line2="", city="London", postcode="N1 1AA", country="GB"
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=st.lists(st.sampled_from(list(OrderStatus.values)), max_size=8))
def test_transitions_follow_the_table(moves):
    module = ModuleFactory(stock=15)  # 3 is a customer's share (20 %) of 15
    basket = BasketFactory()
    BasketLineFactory(basket=basket, module=module, quantity=3)
    order = order_place(user=basket.user, basket=basket, address=ADDRESS, delivery_code="standard")
    expected = OrderStatus.PENDING_PAYMENT
    for move in moves:
        if move == expected:
            assert order_transition(order=order, to=move) is False
        elif move in TRANSITIONS[expected]:
            assert order_transition(order=order, to=move) is True
            expected = move
        else:
            with pytest.raises(IllegalTransition):
                order_transition(order=order, to=move)
        order.refresh_from_db()
        assert order.status == expected
    module.refresh_from_db()
    assert order.stock_reserved == (order.status != OrderStatus.CANCELLED)
    assert module.stock == (12 if order.stock_reserved else 15)
