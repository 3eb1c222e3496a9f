"""Placing an order: the order and its stock reservation in one transaction,
under a row lock on the basket, then on the modules taken in id order (no deadlocks,
no overselling, one order per basket)."""

import secrets
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from offtek.money import Money
from privacy.consent.purposes import uses_personal_data
from shop.addresses.services import address_save
from shop.catalog.services import modules_update
from shop.checkout.delivery import DeliveryUnavailable, delivery_price
from shop.checkout.networks import client_ip_hash
from shop.checkout.reservations import ReservationRefused, fair_share_check, reservation_check
from shop.checkout.tasks import reservation_schedule
from shop.invoices.freeze import order_vat_freeze
from shop.invoices.vat import VatRateMissing
from shop.markets.rules import Market, UnknownMarket, market_for_country
from shop.models import Address, Basket, Module, Order, OrderEvent, OrderLine
from shop.orders.reservations import reservations_release_expired_on

# Row locks on modules while stock is reserved. Only the control test of the
# concurrency suite turns this off, to show the double sale it prevents.
LOCK_STOCK = True

ORDER_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class CheckoutError(Exception):
    """The order cannot be placed; the message is for the customer."""


class MarketChanged(CheckoutError):
    """The delivery country is in another market than the prices the shopper saw: the
    basket must be shown again in `market`'s currency before anything is paid."""

    def __init__(self, market: Market):
        self.market = market
        super().__init__(
            _("%(note)s Please check the new prices, then continue to payment.")
            % {"note": market.repriced_note}
        )


class PricesChanged(CheckoutError):
    """The basket's subtotal is not the one the shopper saw (a price changed since, or
    the form was tampered with)."""


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
    shown_subtotal: Money | None = None,
) -> Order:
    """Turn the basket into an order awaiting payment and reserve its stock.

    The delivery country decides the market, hence the order's currency for life and
    the price list read; prices are that list's at this moment. `shown_subtotal` is
    the items' subtotal the shopper saw and confirmed (the checkout page sends it):
    in another currency it raises MarketChanged, for another amount PricesChanged.
    Raises CheckoutError, leaving the basket and the stock as they were, when
    something is missing, sold out, or not what the shopper was shown.

    The basket row is locked first, so the same basket submitted twice at once (a
    double click) becomes one order: the second waits, then finds the basket empty."""
    try:
        market = market_for_country(address.country)
    except UnknownMarket:
        raise CheckoutError(_("We deliver to the United Kingdom and France only.")) from None
    if shown_subtotal is not None and shown_subtotal.currency != market.currency:
        raise MarketChanged(market)
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
    try:  # under the modules' row locks: what others hold cannot change meanwhile
        fair_share_check(user=user, client_ip_hash=ip_hash, wanted=wanted, modules=modules)
    except ReservationRefused as refusal:
        raise CheckoutError(str(refusal)) from None
    subtotal = sum((market.price_of(m) * wanted[m.pk] for m in modules), market.zero())
    if shown_subtotal is not None and subtotal != shown_subtotal:
        raise PricesChanged(
            _(
                "The prices in your basket have changed since you saw them: the items now "
                "come to %(subtotal)s. Please check them, then continue to payment."
            )
            % {"subtotal": subtotal}
        )
    try:
        delivery = delivery_price(code=delivery_code, market=market, subtotal=subtotal)
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
            unit_price_pence=market.price_of(m).minor,
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


def _order_create(
    *, user, address, delivery_code, subtotal: Money, delivery: Money, client_ip_hash=""
) -> Order:
    """The order row, in the currency of its amounts (they share one: the market's)."""
    fields = {f"delivery_{key}": value for key, value in address.__dict__.items()}
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Order.objects.create(
                    number=order_number_new(),
                    user=user,
                    currency=subtotal.currency,
                    subtotal_pence=subtotal.minor,
                    delivery_pence=delivery.minor,
                    total_pence=(subtotal + delivery).minor,
                    delivery_option=delivery_code,
                    language=user.language,
                    client_ip_hash=client_ip_hash,
                    **fields,
                )
        except IntegrityError:
            continue
    raise CheckoutError(_("Please try again."))
