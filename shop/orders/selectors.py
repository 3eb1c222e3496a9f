from django.db.models import QuerySet

from shop.models import Order


def orders_for(*, user) -> QuerySet[Order]:
    """The customer's own orders: every customer-facing order lookup starts here."""
    return Order.objects.filter(user=user)


def order_for(*, user, number: str) -> Order | None:
    return orders_for(user=user).filter(number=number).first()
