"""The "inactive-customer" rule: an e-mail 30 days before, then the account is closed as
its owner would close it (receipt e-mailed); a sign-in or an order after the notice
cancels it; staff are never closed this way."""

import datetime
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from privacy.models import ErasureReceipt, User
from privacy.tests.factories import UserFactory
from shop.models import Order
from shop.tests.factories_orders import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

JOINED = datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)
NOTICE = "inactive-customer: notices e-mailed 30 days before closure"
CLOSE = "inactive-customer: accounts closed after the notice"


def day(n):
    return JOINED + datetime.timedelta(days=n)


@pytest.fixture
def apply(django_capture_on_commit_callbacks):
    def run(moment):
        out = io.StringIO()
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("retention", "--apply", "--json", stdout=out, stderr=io.StringIO())
        return {row["job"]: row for row in json.loads(out.getvalue())["rules"]}

    return run


@pytest.fixture
def customer():
    with time_machine.travel(JOINED, tick=False):
        return UserFactory(email="quiet@example.com", language="fr")


# 36 calendar months from 10 January 2026 end on 10 January 2029, 1096 days later (2028
# has a 29 February): the notice goes 30 days before, after day 1066.
@pytest.mark.parametrize(("days_later", "told"), [(1066, False), (1067, True)])
def test_inactive_customers_are_told_thirty_days_before(customer, apply, days_later, told):
    report = apply(day(days_later))
    customer.refresh_from_db()
    assert (customer.inactivity_notice_at is not None) is told
    assert report[NOTICE]["done"] == int(told)
    assert report[NOTICE]["action"] == "notify"
    assert len(mail.outbox) == int(told)
    if told:
        assert mail.outbox[0].to == ["quiet@example.com"]
        assert "sera fermé" in mail.outbox[0].subject  # in the customer's language


@pytest.mark.parametrize(("days_later", "closed"), [(1096, False), (1097, True)])
def test_told_customers_are_closed_after_the_period_with_a_receipt(
    customer, apply, days_later, closed
):
    apply(day(1067))
    mail.outbox.clear()
    apply(day(days_later))
    assert (not User.objects.filter(pk=customer.pk).exists()) is closed
    assert ErasureReceipt.objects.exists() is closed
    assert [m.to for m in mail.outbox] == ([["quiet@example.com"]] if closed else [])


def test_a_customer_who_was_never_told_is_told_before_being_closed(customer, apply):
    report = apply(day(2000))  # first run long after the period: notice only
    assert report[CLOSE]["done"] == 0 and report[NOTICE]["done"] == 1
    assert User.objects.filter(pk=customer.pk).exists()
    apply(day(2030))
    assert not User.objects.filter(pk=customer.pk).exists()


def test_a_sign_in_after_the_notice_cancels_the_closure(customer, apply):
    apply(day(1067))
    User.objects.filter(pk=customer.pk).update(last_login=day(1070))
    apply(day(1100))
    customer.refresh_from_db()
    assert customer.is_active
    assert customer.inactivity_notice_at == day(1067)  # stale: not acted on
    mail.outbox.clear()
    apply(day(1070 + 1066))  # inactive again: told again, from the sign-in
    customer.refresh_from_db()
    assert customer.inactivity_notice_at == day(1070 + 1066)
    assert len(mail.outbox) == 1


def test_an_order_after_the_notice_cancels_the_closure_and_orders_count_as_activity(
    customer, apply
):
    apply(day(1067))
    with time_machine.travel(day(1080), tick=False):
        order = OrderFactory(user=customer)
        OrderLineFactory(order=order)
    apply(day(1200))
    assert User.objects.filter(pk=customer.pk).exists()
    report = apply(day(1080 + 1064))
    assert report[NOTICE]["done"] == 0
    report = apply(day(1080 + 1066))
    assert report[NOTICE]["done"] == 1


def test_closure_keeps_orders_under_legal_hold_and_lifetime_warranties(customer, apply):
    with time_machine.travel(JOINED, tick=False):
        order = OrderFactory(user=customer)
        OrderLineFactory(order=order, warranty_years=None)
    apply(day(1067))
    apply(day(1097))
    order.refresh_from_db()
    assert order.user is None and order.warranty_kept
    assert order.legal_hold_until is not None
    assert Order.objects.count() == 1


def test_staff_accounts_are_never_closed_for_inactivity(apply):
    with time_machine.travel(JOINED, tick=False):
        staff = UserFactory(is_staff=True)
        admin = UserFactory(is_superuser=True)
    apply(day(1067))
    apply(day(3000))
    assert User.objects.filter(pk__in=[staff.pk, admin.pk]).count() == 2
    assert mail.outbox == []


def test_the_period_follows_the_setting(customer, apply, settings):
    settings.PRIVACY_INACTIVE_CUSTOMER_MONTHS = 24  # 730 days: notice on day 700
    assert apply(day(699))[NOTICE]["done"] == 0
    assert apply(day(701))[NOTICE]["done"] == 1
