from django.db.models import QuerySet

from shop.models import Order


def orders_for(*, user) -> QuerySet[Order]:
    """The customer's own orders: every customer-facing order lookup starts here."""
    return Order.objects.filter(user=user)


def order_language(order: Order) -> str:
    """The language to write to the customer in about this order: their account's
    choice, else the language they ordered in, else English."""
    user_language = order.user.language if order.user_id else ""
    return user_language or order.language or "en"
