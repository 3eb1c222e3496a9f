"""Placing an order: the order and its stock reservation in one transaction,
under a row lock on the basket, then on the modules taken in id order (no deadlocks,
no overselling, one order per basket)."""

import secrets
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from privacy.consent.purposes import uses_personal_data
from shop.addresses.services import address_save
from shop.catalog.services import modules_update
from shop.checkout.delivery import DeliveryUnavailable, delivery_price
from shop.checkout.reservations import ReservationRefused, reservation_check
from shop.checkout.tasks import reservation_schedule
from shop.invoices.freeze import order_vat_freeze
from shop.invoices.vat import VatRateMissing
from shop.models import Address, Basket, Module, Order, OrderEvent, OrderLine
from shop.orders.reservations import reservations_release_expired_on

# Row locks on modules while stock is reserved. Only the control test of the
# concurrency suite turns this off, to show the double sale it prevents.
LOCK_STOCK = True

ORDER_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class CheckoutError(Exception):
    """The order cannot be placed; the message is for the customer."""


@dataclass(frozen=True)
class DeliveryAddress:
    name: str
    line1: str
    line2: str
    city: str
    postcode: str
    country: str
    phone: str = ""

    @classmethod
    @uses_personal_data("orders", categories=["contact", "identity"])
    def from_address(cls, address: Address) -> "DeliveryAddress":
        return cls(
            name=address.name,
            line1=address.line1,
            line2=address.line2,
            city=address.city,
            postcode=address.postcode,
            country=address.country,
            phone=address.phone,
        )


def order_number_new() -> str:
    code = "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _i in range(6))
    return f"OT-{timezone.now().year}-{code}"


@transaction.atomic
def order_place(
    *,
    user,
    basket: Basket,
    address: DeliveryAddress,
    delivery_code: str,
    save_address: bool = False,
    client_ip: str = "",
) -> Order:
    """Turn the basket into an order awaiting payment and reserve its stock.

    Prices are the catalog's at this moment. Raises CheckoutError, leaving the
    basket and the stock as they were, when something is missing or sold out.

    The basket row is locked first, so the same basket submitted twice at once (a
    double click) becomes one order: the second waits, then finds the basket empty."""
    Basket.objects.select_for_update().filter(pk=basket.pk).first()
    wanted = dict(basket.lines.values_list("module_id", "quantity"))
    if not wanted:
        raise CheckoutError(_("Your basket is empty."))
    # Limits first, with expired holds (the customer's, and on these modules) released
    # before the modules are read and locked.
    ip_hash = client_ip_hash(client_ip)
    try:
        reservation_check(user=user, client_ip_hash=ip_hash, units=sum(wanted.values()))
    except ReservationRefused as refusal:
        raise CheckoutError(str(refusal)) from None
    reservations_release_expired_on(module_ids=wanted)
    modules_qs = Module.objects.filter(pk__in=wanted).order_by("pk")
    if LOCK_STOCK:
        modules_qs = modules_qs.select_for_update()
    modules = list(modules_qs)
    if len(modules) != len(wanted):
        raise CheckoutError(_("A module in your basket is no longer sold."))
    for module in modules:
        if not module.is_active:
            raise CheckoutError(_("%(module)s is no longer on sale.") % {"module": module})
        if module.stock < wanted[module.pk]:
            raise CheckoutError(
                _("Sorry, only %(stock)d of %(module)s left in stock.")
                % {"stock": module.stock, "module": module}
            )
    subtotal = sum(m.price_pence * wanted[m.pk] for m in modules)
    try:
        delivery = delivery_price(
            code=delivery_code, country=address.country, subtotal_pence=subtotal
        )
    except DeliveryUnavailable:
        raise CheckoutError(_("This delivery option is not available for that country.")) from None

    order = _order_create(
        user=user,
        address=address,
        delivery_code=delivery_code,
        subtotal=subtotal,
        delivery=delivery,
        client_ip_hash=ip_hash,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            module=m,
            part_number=m.part_number,
            description=str(m)[:200],
            unit_price_pence=m.price_pence,
            quantity=wanted[m.pk],
            warranty_years=m.warranty_years,
        )
        for m in modules
    )
    try:
        order_vat_freeze(order=order)
    except VatRateMissing:
        raise CheckoutError(
            _("We cannot sell to that country today. Please try again later.")
        ) from None
    for module in modules:
        module.stock -= wanted[module.pk]
    modules_update(modules=modules, fields=["stock"], reason=f"reserved for {order.number}")
    OrderEvent.objects.create(order=order, kind="placed", to_status=order.status)
    basket.lines.all().delete()
    if save_address:
        address_save(user=user, values=asdict(address))
    reservation_schedule(order)
    return order


def client_ip_hash(address: str) -> str:
    """A keyed hash of the customer's IP address: enough to count failed payments from
    one network, useless to anyone without SECRET_KEY."""
    if not address:
        return ""
    return salted_hmac("offtek.fraud.client-ip", address, algorithm="sha256").hexdigest()


def _order_create(*, user, address, delivery_code, subtotal, delivery, client_ip_hash="") -> Order:
    fields = {f"delivery_{key}": value for key, value in address.__dict__.items()}
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Order.objects.create(
                    number=order_number_new(),
                    user=user,
                    subtotal_pence=subtotal,
                    delivery_pence=delivery,
                    total_pence=subtotal + delivery,
                    delivery_option=delivery_code,
                    language=user.language,
                    client_ip_hash=client_ip_hash,
                    **fields,
                )
        except IntegrityError:
            continue
    raise CheckoutError(_("Please try again."))
