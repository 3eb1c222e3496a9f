"""VAT frozen on an order when it is placed: each line and the delivery split into net
and VAT at the rate of that day, so a later change of rate never touches it."""

from django.utils import timezone

from privacy.consent.purposes import uses_personal_data
from shop.customer_pages.changes import customer_pages_changed
from shop.invoices.rules import vat_treatment
from shop.invoices.vat import lines_tax, vat_rate_on
from shop.models import Order, OrderLine


@uses_personal_data("orders", categories=["contact", "transaction"])
def order_vat_freeze(*, order: Order) -> None:
    """Freeze net, rate and VAT on `order`'s lines and delivery (inside the caller's
    transaction, as the order is placed). Raises VatRateMissing when no rate is
    configured for the country that day."""
    treatment = vat_treatment(
        destination=order.delivery_country,
        goods_amount=order.subtotal_pence,
        currency=order.currency,
    )
    rate = vat_rate_on(country=treatment.vat_country, day=timezone.localdate(order.created_at))
    lines = list(order.lines.all())
    taxed = lines_tax([(line.total_pence, rate) for line in lines] + [(order.delivery_pence, rate)])
    for line, tax in zip(lines, taxed, strict=False):
        line.net_minor, line.vat_minor, line.vat_rate_bp = tax.net, tax.vat, tax.rate_bp
    OrderLine.objects.bulk_update(lines, ["net_minor", "vat_minor", "vat_rate_bp"])
    customer_pages_changed([order.user_id])  # bulk writes send no signal
    delivery = taxed[-1]
    order.delivery_net_minor, order.delivery_vat_minor = delivery.net, delivery.vat
    order.delivery_vat_rate_bp, order.vat_country = rate, treatment.vat_country
    Order.objects.filter(pk=order.pk).update(
        delivery_net_minor=delivery.net,
        delivery_vat_minor=delivery.vat,
        delivery_vat_rate_bp=rate,
        vat_country=treatment.vat_country,
    )
