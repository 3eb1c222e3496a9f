"""E-mails to customers about their orders, in the customer's language and formats
(dates, times, money), with no more personal data than the order number, the items
and the amounts."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from privacy.consent.purposes import uses_personal_data
from privacy.tasks import email_disclosure_record
from shop.models import Order
from shop.orders.selectors import order_language


@uses_personal_data("orders", categories=["contact", "transaction"])
def _send(*, order: Order, template: str, extra: dict | None = None) -> None:
    user = order.user
    if user is None:  # the customer closed their account: no address to write to
        return
    with translation.override(order_language(order)):
        context = {
            "order": order,
            "lines": list(order.lines.all()),
            "order_url": settings.SITE_URL.rstrip("/")
            + reverse("shop:order-detail", kwargs={"number": order.number}),
            **(extra or {}),
        }
        subject = render_to_string(f"shop/emails/{template}_subject.txt", context)
        text = render_to_string(f"shop/emails/{template}.txt", context)
        html = render_to_string(f"shop/emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    email_disclosure_record(user_id=user.pk, purpose="orders")


def order_paid_email_send(*, order: Order) -> None:
    """Payment received: the order is confirmed, or (held for review) being checked;
    the e-mail says which, so it never calls confirmed an order that is not."""
    order.refresh_from_db(fields=["status"])
    _send(order=order, template="order_paid")


def order_refunded_out_of_stock_email_send(*, order: Order) -> None:
    _send(order=order, template="order_out_of_stock")
