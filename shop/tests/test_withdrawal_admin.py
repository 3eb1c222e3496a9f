"""Staff and withdrawals: the list with the refund deadlines, and the step form that
records the goods received and refunds through the order's payment (the refund
service, so the order's lifecycle follows), with the standard delivery cost."""

import datetime

import pytest
import time_machine

from shop.models import OrderStatus, Refund, Withdrawal, WithdrawalStatus
from shop.returns.services import WithdrawalRefused, withdrawal_confirm, withdrawal_refund
from shop.tests.factories_orders import delivered_order

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DELIVERED = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
CONFIRMED = datetime.datetime(2026, 7, 6, 13, 5, tzinfo=UTC)


def withdrawn(order, lines=None) -> Withdrawal:
    with time_machine.travel(CONFIRMED, tick=False):
        return withdrawal_confirm(
            order=order,
            name="Ada Lovelace",
            email="ada@example.org",
            line_ids=lines or list(order.lines.values_list("pk", flat=True)),
            language="en",
        )


def delivered(**kwargs):
    with time_machine.travel(DELIVERED, tick=False):
        return delivered_order(**kwargs)


def step(client, withdrawal, to, note=""):
    return client.post(f"/en/admin/shop/withdrawal/{withdrawal.pk}/step/", {"to": to, "note": note})


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        (datetime.datetime(2026, 7, 16, 9, 0, tzinfo=UTC), "4 days left"),
        (datetime.datetime(2026, 7, 20, 9, 0, tzinfo=UTC), "0 days left"),
        (datetime.datetime(2026, 7, 22, 9, 0, tzinfo=UTC), "overdue by 2 days"),
    ],
)
def test_the_list_shows_each_refund_deadline(staff_client, today, shown):
    withdrawal = withdrawn(delivered())
    assert withdrawal.refund_due == datetime.date(2026, 7, 20)
    with time_machine.travel(today, tick=False):
        page = staff_client.get("/en/admin/shop/withdrawal/")
    assert page.status_code == 200
    assert withdrawal.reference in page.text and shown in page.text


def test_the_overdue_filter_lists_only_refunds_still_owed_past_their_date(staff_client):
    late = withdrawn(delivered())
    paid_back = withdrawn(delivered())
    withdrawal_refund(withdrawal=paid_back)
    with time_machine.travel(datetime.datetime(2026, 7, 22, 9, 0, tzinfo=UTC), tick=False):
        page = staff_client.get("/en/admin/shop/withdrawal/?deadline=overdue")
    assert late.reference in page.text and paid_back.reference not in page.text


def test_the_list_page_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries):
    for _ in range(5):
        withdrawn(delivered())
    with django_assert_max_num_queries(12):
        assert staff_client.get("/en/admin/shop/withdrawal/").status_code == 200


def test_goods_received_then_refund_gives_back_the_items_and_standard_delivery(staff_client):
    order = delivered(lines=((2500, 1), (1200, 2)), delivery_pence=399)
    withdrawal = withdrawn(order)
    form = staff_client.get(f"/en/admin/shop/withdrawal/{withdrawal.pk}/step/")
    assert "£52.99" in form.text  # 25.00 + 2 x 12.00 + 3.99 delivery

    assert step(staff_client, withdrawal, "goods_received").status_code == 302
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.GOODS_RECEIVED and withdrawal.goods_received_at

    assert step(staff_client, withdrawal, "refunded").status_code == 302
    withdrawal.refresh_from_db()
    order.refresh_from_db()
    refund = Refund.objects.get()
    assert (refund.amount_pence, refund.status) == (5299, "succeeded")
    assert withdrawal.reference in refund.reason and refund.created_by == staff_client.staff
    assert withdrawal.refund == refund and withdrawal.status == WithdrawalStatus.REFUNDED
    assert (order.status, order.refunded_pence) == (OrderStatus.REFUNDED, 5299)
    assert order.events.filter(kind="withdrawal_step", to_status="refunded").exists()


def test_an_express_delivery_is_refunded_at_the_standard_price():
    order = delivered(lines=((2500, 1),), delivery_pence=999, delivery_option="express")
    withdrawal = withdrawn(order)
    refund = withdrawal_refund(withdrawal=withdrawal)
    order.refresh_from_db()
    assert refund.amount_pence == 2500 + 399  # the standard option's price, not 9.99
    assert order.status == OrderStatus.DELIVERED and order.refunded_pence == 2899


def test_a_partial_withdrawal_refunds_its_items_only_and_the_last_one_the_delivery():
    order = delivered(lines=((2500, 1), (1200, 1)), delivery_pence=399)
    first, second = order.lines.all()
    assert withdrawal_refund(withdrawal=withdrawn(order, [first.pk])).amount_pence == 2500
    assert withdrawal_refund(withdrawal=withdrawn(order, [second.pk])).amount_pence == 1599
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and order.refunded_pence == order.total_pence


def test_a_withdrawal_is_refunded_once():
    withdrawal = withdrawn(delivered())
    withdrawal_refund(withdrawal=withdrawal)
    with pytest.raises(WithdrawalRefused, match="cannot be refunded"):
        withdrawal_refund(withdrawal=withdrawal)
    assert Refund.objects.count() == 1


def test_a_second_refund_from_the_form_is_refused_with_a_message(staff_client):
    withdrawal = withdrawn(delivered())
    step(staff_client, withdrawal, "refunded")
    again = step(staff_client, withdrawal, "refunded")
    assert again.status_code == 200 and "This withdrawal is finished." in again.text
    assert Refund.objects.count() == 1


def test_cancelling_needs_a_reason_and_frees_the_items(staff_client):
    order = delivered()
    withdrawal = withdrawn(order)
    refused = step(staff_client, withdrawal, "cancelled")
    assert refused.status_code == 200 and "Say why in the note." in refused.text
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.RECEIVED
    step(staff_client, withdrawal, "cancelled", note="Customer pressed it by mistake")
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.CANCELLED
    assert withdrawal.staff_note == "Customer pressed it by mistake"
    again = withdrawn(order)  # the items may be withdrawn from again
    assert again.pk != withdrawal.pk


def test_a_step_the_lifecycle_forbids_is_refused_in_french(staff_client):
    withdrawal = withdrawn(delivered())
    step(staff_client, withdrawal, "goods_received")
    response = staff_client.post(
        f"/fr/admin/shop/withdrawal/{withdrawal.pk}/step/", {"to": "refused", "note": "late"}
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.GOODS_RECEIVED
    withdrawal_refund(withdrawal=withdrawal)
    finished = staff_client.get(f"/fr/admin/shop/withdrawal/{withdrawal.pk}/step/")
    assert "Cette rétractation est terminée." in finished.text


@pytest.mark.parametrize(
    ("to", "note", "lang", "said"),
    [
        ("refunded", "", "en", "We have refunded £28.99 to the card you paid with"),
        ("refused", "the seal is broken", "en", "cannot accept your withdrawal"),
        ("cancelled", "recorded twice", "fr", "a été annulée : recorded twice"),
    ],
)
def test_the_customer_is_told_of_the_refund_or_why_there_is_none(
    staff_client, django_capture_on_commit_callbacks, to, note, lang, said
):
    from django.core import mail

    withdrawal = withdrawn(delivered())
    Withdrawal.objects.filter(pk=withdrawal.pk).update(language=lang)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert step(staff_client, withdrawal, to, note).status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["ada@example.org"]
    assert said in message.body and withdrawal.reference in message.body
    assert note in message.body
