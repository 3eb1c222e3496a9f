"""E-mails to customers about their orders, in the customer's language and formats
(dates, times, money), with no more personal data than the order number, the items
and the amounts. Queued in the outbox like every e-mail (privacy.emails): written
into the caller's transaction, sent by the task queue after it commits, never
inside a webhook or a page."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from privacy.consent.purposes import uses_personal_data
from privacy.emails import email_send
from shop.models import Order
from shop.orders.selectors import order_language


@uses_personal_data("orders", categories=["contact", "transaction"])
def _queue(*, order: Order, template: str) -> None:
    user = order.user
    if user is None:  # the customer closed their account: no address to write to
        return
    language = order_language(order)
    with translation.override(language):
        order_url = settings.SITE_URL.rstrip("/") + reverse(
            "shop:order-detail", kwargs={"number": order.number}
        )
    email_send(
        to=user.email,
        user=user,
        template=f"shop/emails/{template}",
        context={"order": order, "lines": list(order.lines.all()), "order_url": order_url},
        language=language,
        purpose="orders",
    )


def order_paid_email_send(*, order: Order) -> None:
    """Payment received: the order is confirmed, or (held for review) being checked;
    the e-mail, written when it is sent, says which, so it never calls confirmed an
    order that is not."""
    _queue(order=order, template="order_paid")


def order_refunded_out_of_stock_email_send(*, order: Order) -> None:
    _queue(order=order, template="order_out_of_stock")
