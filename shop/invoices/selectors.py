"""Which documents a customer may see."""

from shop.models import Document
from shop.orders.selectors import orders_for


def documents_for(*, user, order_number: str):
    """The documents of one of `user`'s orders (none for someone else's order)."""
    return (
        Document.objects.filter(order__in=orders_for(user=user), order__number=order_number)
        .defer("buyer_name", "buyer_address", "seller_facts")
        .order_by("sequence")
    )
