"""Withdrawals: the customer's confirmed statement, its acknowledgement by e-mail, and
what staff do next (goods received, refund) through one transition function.

A withdrawal is written only when the customer presses "Confirm withdrawal"; nothing
before that step stores anything. Its refund goes through the shop's refund service
(shop.payments.refunds), so the order's lifecycle and everything that follows a
refund (the order's refunded total, a credit note) follow it too."""

import secrets

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from privacy.consent.purposes import uses_personal_data
from privacy.emails import email_send
from privacy.lifecycle import IllegalTransition, Lifecycle, lifecycle_move, row_lock
from shop.checkout.delivery import DeliveryUnavailable, delivery_price
from shop.markets.rules import UnknownMarket, market_for_country
from shop.models import (
    Order,
    OrderEvent,
    OrderLine,
    PaymentStatus,
    Refund,
    Withdrawal,
    WithdrawalLine,
    WithdrawalStatus,
)
from shop.payments.refunds import payment_refund, refundable_now
from shop.returns.period import refund_due_date, withdrawal_period

W = WithdrawalStatus
WITHDRAWAL_LIFECYCLE = Lifecycle(
    moves={
        W.RECEIVED: frozenset({W.GOODS_RECEIVED, W.REFUNDED, W.CANCELLED, W.REFUSED}),
        W.GOODS_RECEIVED: frozenset({W.REFUNDED, W.CANCELLED}),
        W.REFUNDED: frozenset(),
        W.CANCELLED: frozenset(),
        W.REFUSED: frozenset(),
    },
    stamps={W.GOODS_RECEIVED: "goods_received_at", W.REFUNDED: "refunded_at"},
)
# A withdrawal in these statuses holds its lines: they cannot be withdrawn again.
ACTIVE = (W.RECEIVED, W.GOODS_RECEIVED, W.REFUNDED)
# The standard delivery option: what a withdrawal refunds of the delivery cost.
STANDARD_DELIVERY = "standard"


class WithdrawalRefused(Exception):
    """The withdrawal or the step cannot be made; the message is translated and safe
    to show."""


def lines_withdrawn(order: Order) -> set[int]:
    return set(
        WithdrawalLine.objects.filter(
            withdrawal__order=order, withdrawal__status__in=ACTIVE
        ).values_list("line_id", flat=True)
    )


def lines_withdrawable(order: Order) -> list[OrderLine]:
    withdrawn = lines_withdrawn(order)
    return [line for line in order.lines.all() if line.pk not in withdrawn]


def withdrawal_refusal(order: Order, *, line_ids=None) -> str | None:
    """Why the customer cannot withdraw from ``order`` (or from ``line_ids`` of it)
    now, in the reader's language; None when they can."""
    period = withdrawal_period(order)
    if not period.open:
        if period.last_day is not None:
            return _("The 14-day withdrawal period for order %(number)s ended on %(date)s.") % {
                "number": order.number,
                "date": date_format(period.last_day, "DATE_FORMAT"),
            }
        return _("Order %(number)s cannot be withdrawn from: it is %(status)s.") % {
            "number": order.number,
            "status": order.get_status_display().lower(),
        }
    open_lines = {line.pk for line in lines_withdrawable(order)}
    if not open_lines:
        return _("You have already withdrawn from every item of order %(number)s.") % {
            "number": order.number
        }
    if line_ids is not None and (not line_ids or not set(line_ids) <= open_lines):
        return _("Choose items of this order that you have not withdrawn from yet.")
    return None


@uses_personal_data("orders", categories=["identity", "contact", "transaction"])
def withdrawal_statement(
    *, order: Order, name: str, email: str, lines, language: str, time_zone: str
) -> str:
    """The statement as the customer confirms it, in their language and time zone."""
    context = {"order": order, "name": name, "email": email, "lines": lines}
    with translation.override(language):
        text = render_to_string("shop/returns/statement.txt", {**context, "time_zone": time_zone})
    return text.strip()


def _reference_new() -> str:
    return f"WD-{timezone.now():%Y}-{secrets.token_hex(3).upper()}"


@uses_personal_data("orders", categories=["identity", "contact", "transaction"])
@transaction.atomic
def withdrawal_confirm(
    *, order: Order, name: str, email: str, line_ids, language: str, via_link: bool = False
) -> Withdrawal:
    """Record the customer's confirmed statement and e-mail them its acknowledgement.
    Raises WithdrawalRefused, writing nothing, when the period is over, the lines are
    withdrawn already or not of this order."""
    locked = row_lock(order)
    line_ids = [int(pk) for pk in line_ids]
    refusal = withdrawal_refusal(locked, line_ids=line_ids)
    if refusal:
        raise WithdrawalRefused(refusal)
    lines = list(locked.lines.filter(pk__in=line_ids))
    received_at = timezone.now()
    time_zone = withdrawal_period(locked).time_zone
    withdrawal = Withdrawal.objects.create(
        reference=_reference_new(),
        order=locked,
        name=name.strip(),
        email=email.strip(),
        statement=withdrawal_statement(
            order=locked,
            name=name.strip(),
            email=email.strip(),
            lines=lines,
            language=language,
            time_zone=time_zone,
        ),
        language=language,
        time_zone=time_zone,
        received_at=received_at,
        refund_due=refund_due_date(received_at, time_zone),
        via_link=via_link,
    )
    WithdrawalLine.objects.bulk_create(
        WithdrawalLine(withdrawal=withdrawal, line=line) for line in lines
    )
    OrderEvent.objects.create(order=locked, kind="withdrawal", reason=withdrawal.reference)
    transaction.on_commit(lambda: withdrawal_acknowledge(withdrawal=withdrawal))
    return withdrawal


@uses_personal_data("orders", categories=["contact"])
def withdrawal_acknowledge(*, withdrawal: Withdrawal) -> None:
    """The acknowledgement on a durable medium: an e-mail with the statement and the
    date and time it was received, in the customer's language and time zone."""
    email_send(
        to=withdrawal.email,
        user=withdrawal.order.user,
        template="shop/emails/withdrawal_received",
        context={"withdrawal": withdrawal, "time_zone": withdrawal.time_zone},
        language=withdrawal.language,
        purpose="orders",
    )


# Steps the customer is e-mailed about (the refund, or why there will be none).
TOLD_TO_THE_CUSTOMER = (W.REFUNDED, W.CANCELLED, W.REFUSED)


@uses_personal_data("orders", categories=["contact"])
def withdrawal_update_notify(*, withdrawal: Withdrawal) -> None:
    withdrawal.refresh_from_db()
    email_send(
        to=withdrawal.email,
        user=withdrawal.order.user,
        template="shop/emails/withdrawal_updated",
        context={"withdrawal": withdrawal},
        language=withdrawal.language,
        purpose="orders",
    )


def withdrawal_transition(
    *, withdrawal: Withdrawal, to: str, reason: str = "", extra_fields=None
) -> bool:
    """The only code that changes Withdrawal.status (see privacy.lifecycle)."""

    def on_enter(locked: Withdrawal, from_status: str) -> None:
        OrderEvent.objects.create(
            order_id=locked.order_id,
            kind="withdrawal_step",
            from_status=from_status,
            to_status=to,
            reason=f"{locked.reference} {reason}".strip()[:200],
        )
        if to in TOLD_TO_THE_CUSTOMER:
            transaction.on_commit(lambda: withdrawal_update_notify(withdrawal=locked))

    return lifecycle_move(
        lifecycle=WITHDRAWAL_LIFECYCLE,
        row=withdrawal,
        to=to,
        reason=reason,
        on_enter=on_enter,
        extra_fields=extra_fields,
    )


def standard_delivery_pence(order: Order) -> int:
    """What the order's delivery would have cost by the standard option: a withdrawal
    refunds that much of the delivery, never a faster option's surcharge."""
    if order.delivery_option == STANDARD_DELIVERY:
        return order.delivery_pence
    try:
        market = market_for_country(_delivery_country(order))
        standard = delivery_price(code=STANDARD_DELIVERY, market=market, subtotal=order.subtotal)
    except (DeliveryUnavailable, UnknownMarket):
        return 0
    if standard.currency != order.currency:  # an order keeps the currency it was paid in
        return 0
    return min(standard.minor, order.delivery_pence)


@uses_personal_data("orders", categories=["contact"])
def _delivery_country(order: Order) -> str:
    return order.delivery_country


def withdrawal_refund_pence(withdrawal: Withdrawal) -> int:
    """The withdrawn lines as paid, and the standard delivery cost once nothing of the
    order is left that the customer keeps; never more than can still be refunded."""
    order = withdrawal.order
    lines = [item.line for item in withdrawal.lines.select_related("line")]
    amount = sum(line.total_pence for line in lines)
    kept = [line for line in order.lines.all() if line.pk not in lines_withdrawn(order)]
    if not kept:
        amount += standard_delivery_pence(order)
    return min(amount, refundable_now(order=order))


@transaction.atomic
def withdrawal_refund(*, withdrawal: Withdrawal, by=None) -> Refund:
    """Refund a withdrawal through the order's payment and mark it refunded, in one
    transaction. Raises WithdrawalRefused (nothing written) when it cannot be
    refunded now; RefundError or GatewayError from the refund service pass through."""
    locked = row_lock(withdrawal)
    if not WITHDRAWAL_LIFECYCLE.allows(locked.status, W.REFUNDED):
        raise WithdrawalRefused(
            _("Withdrawal %(reference)s cannot be refunded: it is %(status)s.")
            % {"reference": locked.reference, "status": locked.get_status_display().lower()}
        )
    row_lock(locked.order)
    payment = locked.order.payments.filter(status=PaymentStatus.SUCCEEDED).first()
    amount = withdrawal_refund_pence(locked)
    if payment is None or amount <= 0:
        raise WithdrawalRefused(_("There is nothing left to refund on this order."))
    refund = payment_refund(
        payment=payment,
        amount_pence=amount,
        reason=f"withdrawal {locked.reference}",
        by=by,
    )
    withdrawal_transition(
        withdrawal=locked,
        to=W.REFUNDED,
        reason=_by(by),
        extra_fields={"refund": refund},
    )
    withdrawal.refresh_from_db()
    return refund


@transaction.atomic
def withdrawal_step(*, withdrawal: Withdrawal, to: str, note: str = "", by=None) -> None:
    """A member of staff's step: goods received, refund, cancel or refuse (with a
    note). Raises WithdrawalRefused for a step the lifecycle does not allow now."""
    if to == W.REFUNDED:
        withdrawal_refund(withdrawal=withdrawal, by=by)
        return
    if to in (W.CANCELLED, W.REFUSED) and not note.strip():
        raise WithdrawalRefused(_("Say why in the note."))
    extra = {"staff_note": note.strip()[:200]} if note.strip() else None
    try:
        withdrawal_transition(withdrawal=withdrawal, to=to, reason=_by(by), extra_fields=extra)
    except IllegalTransition:
        raise WithdrawalRefused(_("This step is not allowed now.")) from None


def _by(user) -> str:
    return f"staff #{user.pk}" if user is not None else ""
