"""Dispatch and delivery: the courier and tracking number, the customer's e-mail and
text message, and couriers' delivery updates."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from privacy.consent.purposes import uses_personal_data
from privacy.disclosures import disclosure_record
from privacy.emails import email_send
from privacy.lifecycle import row_lock
from shop.fulfilment.sms.services import sms_queue
from shop.models import Order, OrderStatus
from shop.orders.selectors import order_language
from shop.orders.services import ORDER_LIFECYCLE, order_transition


@dataclass(frozen=True)
class Courier:
    code: str
    label: str
    tracking_url: str  # "{tracking}" is replaced by the tracking number


COURIERS: dict[str, Courier] = {
    courier.code: courier
    for courier in (
        Courier(
            "royal-mail", "Royal Mail", "https://www.royalmail.com/track-your-item#/{tracking}"
        ),
        Courier("dpd", "DPD", "https://track.dpd.co.uk/parcels/{tracking}"),
        Courier(
            "colissimo",
            "Colissimo",
            "https://www.laposte.fr/outils/suivre-vos-envois?code={tracking}",
        ),
    )
}


COURIER_FIELDS = ("name", "delivery address", "phone")


class DispatchError(Exception):
    """The order cannot be dispatched or delivered as asked; the text is for staff."""


def courier_choices() -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in COURIERS.values()]


@uses_personal_data("orders", categories=["transaction"])
def tracking_url(order: Order) -> str:
    courier = COURIERS.get(order.courier)
    return courier.tracking_url.format(tracking=order.tracking_number) if courier else ""


def order_dispatch_refusal(order: Order) -> str:
    """Why this order cannot be dispatched (translated, for staff), or "" when it can:
    only paid orders are, as the order lifecycle says."""
    if ORDER_LIFECYCLE.allows(order.status, OrderStatus.DISPATCHED):
        return ""
    return str(
        _("%(number)s cannot be dispatched: only paid orders can be (it is %(status)s).")
        % {"number": order.number, "status": order.get_status_display()}
    )


@uses_personal_data("orders", categories=["contact", "identity", "transaction"])
@transaction.atomic
def order_dispatch(*, order: Order, courier: str, tracking_number: str, by=None) -> bool:
    """Record the courier and tracking number and move the order to dispatched (the
    state machine refuses orders held for review). After commit, the customer gets an
    e-mail and, when the order carries a mobile number, a text message. A failing
    message never undoes the dispatch. Returns False when already dispatched."""
    tracking_number = tracking_number.strip()
    if courier not in COURIERS:
        raise DispatchError(_("Unknown courier."))
    if not tracking_number:
        raise DispatchError(_("A tracking number is required."))
    locked = row_lock(order)
    if locked.status == OrderStatus.DISPATCHED:
        order.refresh_from_db()
        return False
    locked.courier = courier
    locked.tracking_number = tracking_number[:40]
    locked.save(update_fields=["courier", "tracking_number", "updated_at"])
    order_transition(order=locked, to=OrderStatus.DISPATCHED, reason=_by(by))
    if locked.user_id:
        # The parcel label carries the customer's name, address and phone: a disclosure
        # to the courier, recorded in the ledger the customer sees in their export.
        disclosure_record(
            user=locked.user,
            processor="couriers",
            purpose="orders",
            categories=("contact", "identity"),
            fields=COURIER_FIELDS if locked.delivery_phone else COURIER_FIELDS[:2],
            reference=locked.number,
        )
    order.refresh_from_db()
    transaction.on_commit(lambda: order_dispatched_notify(order=locked))
    return True


@uses_personal_data("orders", categories=["contact", "identity", "transaction"])
def order_dispatched_notify(*, order: Order) -> None:
    """The dispatch e-mail (queued as a task) and the text message (outbox + task)."""
    order.refresh_from_db()
    language = order_language(order)
    with translation.override(language):
        order_url = settings.SITE_URL.rstrip("/") + reverse(
            "shop:order-detail", kwargs={"number": order.number}
        )
    context = {
        "order": order,
        "courier": COURIERS[order.courier].label,
        "tracking_number": order.tracking_number,
        "tracking_url": tracking_url(order),
        "order_url": order_url,
    }
    if order.user_id:
        email_send(
            to=order.user.email,
            user=order.user,
            template="shop/emails/order_dispatched",
            context=context,
            language=language,
            purpose="orders",
        )
    sms_queue(
        order=order,
        kind="dispatched",
        template="shop/sms/order_dispatched.txt",
        context=context,
    )


@transaction.atomic
def order_deliver(*, order: Order, source: str, delivered_at=None) -> bool:
    """The parcel arrived (a staff action or the courier's update). `delivered_at`:
    the courier's time of delivery, when it says (the withdrawal period counts from
    it); otherwise now."""
    return order_transition(order=order, to=OrderStatus.DELIVERED, reason=source, at=delivered_at)


def _by(user) -> str:
    return f"staff #{user.pk}" if user is not None else "dispatch"
