"""The end of a legal hold ("tax-records"): orders kept for tax after an account closure
are anonymised once ``legal_hold_until`` has passed, unless the customer kept them for
a lifetime warranty.

What survives, for statistics: the lines (module, part number, quantity, price), the
amounts, the currency, the delivery country and the month of each date. What goes: the
delivery address and phone, the order number the customer was told, the courier's
tracking number, the network hash, the card details and gateway references (which
point back to the person at the gateway), and the rows that only served the customer
(text messages, review invitations, the status log, webhook records); a withdrawal
keeps its dates and lines but loses the name, address and statement. The same is done
to every simple-history row of the orders.
"""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, TruncMonth
from django.utils import timezone

from privacy.retention import IdList
from shop.models import (
    Order,
    OrderEvent,
    Payment,
    PaymentEvent,
    Refund,
    ReviewInvitation,
    SmsMessage,
    Withdrawal,
)
from shop.models.payments import CARD_FIELDS

ANONYMOUS_NUMBER_PREFIX = "ANON-"

ORDER_CLEARED = {
    "delivery_name": "",
    "delivery_line1": "",
    "delivery_line2": "",
    "delivery_city": "",
    "delivery_postcode": "",
    "delivery_phone": "",
    "tracking_number": "",
    "client_ip_hash": "",
    "warranty_email": "",
}
ORDER_DATES = ["created_at", "paid_at", "dispatched_at", "delivered_at"]
# A withdrawal's statement names the person: what was withdrawn and when survives.
WITHDRAWAL_CLEARED = {"name": "", "email": "", "statement": "", "staff_note": ""}
PAYMENT_CLEARED = {
    "reference": "",
    # Every card field but the brand, which names no one and stays for statistics.
    **{name: "" for name in CARD_FIELDS if name != "card_brand"},
    "failure_message": "",
}


class MonthOf(TruncMonth):
    """``TruncMonth`` of a date and time (in the current time zone), with SQLite's part
    done in SQL where it can be. Django's SQLite function is Python called for every
    row (parse, change of time zone, format), the better part of anonymising a batch.
    From the 2nd to the 27th of a month in UTC, every time zone (all are within a day
    of UTC) is in that same month, so SQLite's own strftime gives the same value (and
    NULL for NULL); the other days go to Django's function."""

    def as_sqlite(self, compiler, connection, **extra_context):
        trunc, trunc_params = self.as_sql(compiler, connection)
        column, params = compiler.compile(self.lhs)
        return (
            f"CASE WHEN {column} IS NULL OR strftime('%%d', {column}) BETWEEN '02' AND '27' "
            f"THEN strftime('%%Y-%%m-01 00:00:00', {column}) ELSE {trunc} END",
            (*params, *params, *params, *trunc_params),
        )


def _months(fields) -> dict:
    return {name: MonthOf(name) for name in fields}


def _anonymous_number(pk_field: str):
    return Concat(Value(ANONYMOUS_NUMBER_PREFIX), Cast(pk_field, CharField()))


def orders_past_legal_hold(now, period=None):
    """Orders detached at a closure whose hold ended before ``now``'s day, and not kept
    for a lifetime warranty."""
    return Order.objects.filter(
        user=None,
        legal_hold_until__lt=timezone.localdate(now),
        warranty_kept=False,
    )


def orders_anonymise(orders) -> int:
    """Anonymise ``orders`` (one batch), their payments and every history row of them.
    A few UPDATEs and DELETEs per batch, whatever its size."""
    ids = list(orders.order_by().values_list("pk", flat=True))
    if not ids:
        return 0
    batch = IdList(Order, ids)
    # Both callers pass detached orders (user None): no customer's kept pages show them.
    payments = Payment.objects.filter(order_id__in=batch)
    PaymentEvent.objects.filter(payment__in=payments).delete()
    Refund.objects.filter(payment__in=payments).update(reference="", reason="")
    payments.update(**PAYMENT_CLEARED, **_months(["created_at", "updated_at"]))
    SmsMessage.objects.filter(order_id__in=batch).delete()
    ReviewInvitation.objects.filter(order_id__in=batch).delete()
    OrderEvent.objects.filter(order_id__in=batch).delete()
    Withdrawal.objects.filter(order_id__in=batch).update(**WITHDRAWAL_CLEARED)
    Withdrawal.history.filter(order_id__in=batch).update(
        **WITHDRAWAL_CLEARED, history_change_reason=None
    )
    Order.history.filter(id__in=batch).update(
        **ORDER_CLEARED,
        **_months([*ORDER_DATES, "history_date"]),
        number=_anonymous_number("id"),
        legal_hold_until=None,
        history_change_reason=None,
    )
    return Order.objects.filter(pk__in=batch).update(
        **ORDER_CLEARED,
        **_months([*ORDER_DATES, "updated_at"]),
        number=_anonymous_number("pk"),
        legal_hold_until=None,
    )
