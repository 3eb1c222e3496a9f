import factory

from privacy.tests.factories import UserFactory
from shop.models import Address, Basket, BasketLine, Order, OrderLine, Payment
from shop.tests.factories import ModuleFactory


class BasketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Basket

    user = factory.SubFactory(UserFactory)


class BasketLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BasketLine

    basket = factory.SubFactory(BasketFactory)
    module = factory.SubFactory(ModuleFactory)
    quantity = 1


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    name = "Ada Lovelace"
    line1 = "12 St James's Square"
    line2 = ""
    city = "London"
    postcode = "SW1Y 4JH"
    country = "GB"
    phone = ""


class OrderFactory(factory.django.DjangoModelFactory):
    """An order awaiting payment; its stock is counted as reserved but the factory
    does not touch Module.stock (use order_place for that)."""

    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"OT-2026-T{n:05d}")
    user = factory.SubFactory(UserFactory)
    subtotal_pence = 3999
    delivery_pence = 0
    total_pence = factory.LazyAttribute(lambda o: o.subtotal_pence + o.delivery_pence)
    delivery_option = "standard"
    delivery_name = "Ada Lovelace"
    delivery_line1 = "12 St James's Square"
    delivery_city = "London"
    delivery_postcode = "SW1Y 4JH"
    delivery_country = "GB"


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    module = factory.SubFactory(ModuleFactory)
    part_number = factory.LazyAttribute(lambda o: o.module.part_number)
    description = factory.LazyAttribute(lambda o: str(o.module))
    # The order's market's price list: euro cents for an order in euros.
    unit_price_pence = factory.LazyAttribute(
        lambda o: o.module.price_eur_cents if o.order.currency == "EUR" else o.module.price_pence
    )
    quantity = 1


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    order = factory.SubFactory(OrderFactory)
    gateway = "simulator"
    reference = factory.Sequence(lambda n: f"sim_test_{n}")
    amount_pence = factory.LazyAttribute(lambda o: o.order.total_pence)
    currency = factory.LazyAttribute(lambda o: o.order.currency)


def paid_order(**kwargs) -> Order:
    """An order with one line and a successful simulator payment, made paid through
    the state machine (no fraud rule runs: the payment reports nothing)."""
    from shop.models import PaymentStatus
    from shop.orders.services import order_transition

    line_kwargs = {
        key.removeprefix("line__"): kwargs.pop(key)
        for key in list(kwargs)
        if key.startswith("line__")
    }
    order = OrderFactory(**kwargs)
    OrderLineFactory(order=order, **line_kwargs)
    PaymentFactory(order=order, status=PaymentStatus.SUCCEEDED)
    order_transition(order=order, to="paid")
    return order


def delivered_order(
    *, lines=((2500, 1),), delivery_pence=399, delivery_option="standard", **kwargs
) -> Order:
    """A paid, dispatched and delivered order with one line per (unit price, quantity),
    its totals adding up, paid by the simulator. Delivered now (use time-machine)."""
    from shop.fulfilment.dispatch import order_deliver, order_dispatch
    from shop.models import PaymentStatus
    from shop.orders.services import order_transition
    from shop.tests.factories import ModuleFactory

    subtotal = sum(price * quantity for price, quantity in lines)
    order = OrderFactory(
        subtotal_pence=subtotal,
        delivery_pence=delivery_pence,
        delivery_option=delivery_option,
        **kwargs,
    )
    for price, quantity in lines:
        module = ModuleFactory(price_pence=price)
        OrderLineFactory(order=order, module=module, unit_price_pence=price, quantity=quantity)
    PaymentFactory(order=order, status=PaymentStatus.SUCCEEDED)
    order_transition(order=order, to="paid")
    order_dispatch(order=order, courier="dpd", tracking_number="DPD123")
    order_deliver(order=order, source="courier dpd")
    order.refresh_from_db()
    return order
