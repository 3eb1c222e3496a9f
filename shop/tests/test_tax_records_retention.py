"""The "tax-records" rule: orders held for tax after an account closure are anonymised by
`manage.py retention --apply` the day after their legal hold ends, with their payments,
history and fulfilment rows; statistics survive, the customer does not."""

import datetime
import io
import json
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models.functions import TruncMonth
from django.utils import timezone

from privacy.rights.erasure import account_close
from privacy.tests.factories import UserFactory
from shop.models import Order, OrderLine, Payment, PaymentEvent, SmsMessage
from shop.orders.retention import MonthOf
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import OrderFactory, OrderLineFactory, PaymentFactory

pytestmark = pytest.mark.django_db

CLOSED = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
HOLD_ENDS = datetime.datetime(2033, 3, 10, 12, tzinfo=datetime.UTC)  # closure + 7 years
JOB = "tax-records: orders past their legal hold, with payments and history"

IDENTIFIERS = {
    "name": "Grace Hopperton",
    "email": "grace.hopperton@example.com",
    "phone": "+447700900123",
    "line1": "7 Arlington Row",
    "postcode": "GL7 5NJ",
    "tracking": "JD0002233445566",
    "order_number": "OT-2026-GRACE1",
    "card_reference": "pi_grace_123456",
}


def retention(*args):
    out = io.StringIO()
    call_command("retention", "--json", *args, stdout=out, stderr=io.StringIO())
    return {row["job"]: row for row in json.loads(out.getvalue())["rules"]}


def _closed_customer(*, lifetime=False, keep=frozenset()):
    with time_machine.travel(CLOSED - datetime.timedelta(days=40), tick=False):
        user = UserFactory(email=IDENTIFIERS["email"], first_name="Grace", last_name="Hopperton")
        order = OrderFactory(
            user=user,
            number=IDENTIFIERS["order_number"] if not lifetime else "OT-2026-KEEP01",
            delivery_name=IDENTIFIERS["name"],
            delivery_line1=IDENTIFIERS["line1"],
            delivery_postcode=IDENTIFIERS["postcode"],
            delivery_phone=IDENTIFIERS["phone"],
            delivery_country="FR",
            tracking_number=IDENTIFIERS["tracking"] if not lifetime else "",
            client_ip_hash="a" * 64,
        )
        module = ModuleFactory(warranty_years=None if lifetime else 5)
        OrderLineFactory(
            order=order, module=module, quantity=2, warranty_years=None if lifetime else 5
        )
        payment = PaymentFactory(
            order=order,
            reference=IDENTIFIERS["card_reference"] if not lifetime else "pi_keep",
            card_brand="visa",
            card_last4="4242",
            card_country="FR",
            postcode_check="pass",
        )
        PaymentEvent.objects.create(
            gateway="stripe", event_id=f"evt_{order.pk}", kind="charge", payment=payment
        )
        order.delivery_city = "Bibury"
        order.save()  # a second history row
    with time_machine.travel(CLOSED, tick=False):
        account_close(user=user, keep=keep)
    return Order.objects.get(pk=order.pk)


@pytest.mark.parametrize(
    ("moment", "anonymised"), [(HOLD_ENDS, False), (HOLD_ENDS + datetime.timedelta(days=1), True)]
)
def test_held_orders_are_anonymised_the_day_after_the_hold_ends(moment, anonymised):
    order = _closed_customer()
    assert order.legal_hold_until == datetime.date(2033, 3, 10)
    with time_machine.travel(moment - datetime.timedelta(days=1), tick=False):
        assert retention("--apply")[JOB]["due"] == 0
    with time_machine.travel(moment, tick=False):
        report = retention("--apply")
    assert report[JOB]["done"] == (1 if anonymised else 0)
    order.refresh_from_db()
    assert (order.delivery_name == "") is anonymised
    assert (order.legal_hold_until is None) is anonymised


def test_orders_kept_for_a_lifetime_warranty_are_not_anonymised():
    kept = _closed_customer(lifetime=True, keep=frozenset({"lifetime-warranty"}))
    with time_machine.travel(HOLD_ENDS + datetime.timedelta(days=3650), tick=False):
        assert retention("--apply")[JOB]["due"] == 0
    kept.refresh_from_db()
    assert kept.delivery_name == IDENTIFIERS["name"]
    assert kept.warranty_kept


def test_orders_of_open_accounts_are_never_anonymised_by_this_rule():
    order = OrderFactory(delivery_name="Open Account")
    with time_machine.travel(HOLD_ENDS + datetime.timedelta(days=3650), tick=False):
        retention("--apply")
    order.refresh_from_db()
    assert order.delivery_name == "Open Account"


def test_anonymised_orders_keep_what_statistics_need_and_nothing_else():
    order = _closed_customer()
    with time_machine.travel(HOLD_ENDS + datetime.timedelta(days=1), tick=False):
        retention("--apply")
        assert retention("--apply")[JOB]["due"] == 0  # a second run finds nothing
    order.refresh_from_db()
    line = OrderLine.objects.get(order=order)
    assert (line.quantity, line.unit_price_pence, order.total_pence) == (
        2,
        line.unit_price_pence,
        3999,
    )
    assert order.delivery_country == "FR"
    assert order.created_at == datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    assert order.number == f"ANON-{order.pk}"
    for row in [order, *Order.history.filter(id=order.pk)]:
        assert [row.delivery_name, row.delivery_line1, row.delivery_postcode] == ["", "", ""]
        assert [row.delivery_phone, row.tracking_number, row.client_ip_hash] == ["", "", ""]
        assert row.number == f"ANON-{order.pk}"
    payment = Payment.objects.get(order=order)
    assert (payment.card_last4, payment.reference, payment.card_country) == ("", "", "")
    assert payment.amount_pence == 3999 and payment.card_brand == "visa"
    assert not PaymentEvent.objects.filter(payment=payment).exists()
    assert not SmsMessage.objects.filter(order=order).exists()


def test_no_raw_row_holds_the_customers_identifiers_afterwards():
    _closed_customer()
    with time_machine.travel(HOLD_ENDS + datetime.timedelta(days=1), tick=False):
        retention("--apply")
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                found += [(table, key) for key, value in IDENTIFIERS.items() if value in text]
    assert found == []


@pytest.mark.parametrize(
    "zone", ["Europe/London", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/St_Johns"]
)
def test_dates_are_cut_to_the_same_month_as_djangos_truncmonth(zone):
    """MonthOf does SQLite's part in SQL on most days: it must agree with TruncMonth at
    every hour around the end of a month, whatever the time zone."""
    order = OrderFactory()
    rows = Order.objects.filter(pk=order.pk)
    boundaries = [datetime.datetime(2026, month, 1, tzinfo=datetime.UTC) for month in (1, 3, 4)]
    boundaries.append(datetime.datetime(2028, 3, 1, tzinfo=datetime.UTC))  # after 29 February
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        for boundary in boundaries:
            for minutes in [-30, 30, *range(-97 * 19, 97 * 20, 97)]:
                moment = boundary + datetime.timedelta(minutes=minutes, microseconds=minutes)
                rows.update(created_at=moment)
                ours, djangos = rows.annotate(
                    ours=MonthOf("created_at"), djangos=TruncMonth("created_at")
                ).values_list("ours", "djangos")[0]
                assert ours == djangos, moment
                assert ours.month == moment.astimezone(zoneinfo.ZoneInfo(zone)).month
        rows.update(paid_at=None)
        assert rows.annotate(month=MonthOf("paid_at")).values_list("month", flat=True)[0] is None
