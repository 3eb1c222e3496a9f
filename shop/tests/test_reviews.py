"""Review invitations: once per delivered order, N days after delivery, only with the
customer's consent and an open account; each disclosure recorded."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from privacy import registry
from privacy.consent.services import consents_record
from privacy.models import Disclosure
from shop.fulfilment.dispatch import order_deliver, order_dispatch
from shop.fulfilment.reviews.memory import MemoryReviewProvider
from shop.fulfilment.reviews.services import review_invitation_send, review_invitations_send
from shop.models import OrderStatus, ReviewInvitation
from shop.tests.factories_orders import paid_order
from shop.tests.provider_fake import provider_serving

pytestmark = pytest.mark.django_db
DELIVERED = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC)


def delivered_order(*, consent: bool | None = True, **kwargs):
    order = paid_order(**kwargs)
    if consent is not None:
        consents_record(
            user=order.user, choices={"review-invitations": consent}, source="dashboard"
        )
    with time_machine.travel(DELIVERED, tick=False):
        order_dispatch(order=order, courier="dpd", tracking_number="T1")
        order_deliver(order=order, source="test")
    return order


def run(days_after: float) -> dict:
    with time_machine.travel(DELIVERED + datetime.timedelta(days=days_after), tick=False):
        return review_invitations_send()


def test_invitation_goes_out_on_the_nth_day_after_delivery_not_before(settings):
    settings.REVIEW_INVITATION_DAYS = 14
    order = delivered_order(user__first_name="Ada", user__last_name="Lovelace")
    assert run(13.99)["invited"] == 0
    assert MemoryReviewProvider.sent == []
    assert run(14)["invited"] == 1
    [sent] = MemoryReviewProvider.sent
    assert (sent.name, sent.email, sent.order_number) == (
        "Ada Lovelace",
        order.user.email,
        order.number,
    )


def test_the_delay_is_a_setting(settings):
    settings.REVIEW_INVITATION_DAYS = 3
    delivered_order()
    assert run(3)["invited"] == 1


def test_each_order_is_invited_once(settings):
    order = delivered_order()
    run(14)
    run(15)
    assert review_invitation_send(order=order) is None
    assert len(MemoryReviewProvider.sent) == 1
    assert ReviewInvitation.objects.filter(order=order).count() == 1


def test_the_disclosure_is_recorded_and_in_the_customers_export():
    order = delivered_order()
    run(14)
    [disclosure] = Disclosure.objects.filter(user=order.user, processor="reviews")
    assert (disclosure.processor, disclosure.purpose, disclosure.reference) == (
        "reviews",
        "review-invitations",
        order.number,
    )
    assert disclosure.fields == ["name", "email", "order number"]
    declaration = registry.declaration_for(Disclosure)
    assert disclosure in declaration.rows_for(order.user)


@pytest.mark.parametrize("consent", [None, False])
def test_no_consent_or_an_opt_out_means_no_invitation(consent):
    delivered_order(consent=consent)
    assert run(14) == {"invited": 0, "skipped": 1, "failed": 0}
    assert MemoryReviewProvider.sent == []
    assert not Disclosure.objects.filter(processor="reviews").exists()
    assert not ReviewInvitation.objects.exists()


def test_withdrawing_consent_after_delivery_stops_the_invitation():
    order = delivered_order()
    consents_record(user=order.user, choices={"review-invitations": False}, source="dashboard")
    run(14)
    assert MemoryReviewProvider.sent == []


def test_a_closed_account_is_never_invited():
    order = delivered_order()
    order.user.is_active = False
    order.user.save(update_fields=["is_active"])
    assert run(14)["invited"] == 0
    assert review_invitation_send(order=order) is None
    assert MemoryReviewProvider.sent == []
    assert not Disclosure.objects.filter(processor="reviews").exists()


def test_an_order_not_delivered_is_never_invited():
    order = paid_order()
    consents_record(user=order.user, choices={"review-invitations": True}, source="dashboard")
    assert run(100)["invited"] == 0
    assert order.status == OrderStatus.PAID


def test_an_order_long_overdue_is_not_invited_late():
    delivered_order()
    assert run(14 + 31)["invited"] == 0


def test_the_command_reports_what_it_did(capsys):
    delivered_order()
    with time_machine.travel(DELIVERED + datetime.timedelta(days=14), tick=False):
        call_command("send_review_invitations")
    assert "Invited 1, skipped 0" in capsys.readouterr().out


@pytest.fixture
def review_service(settings):
    with provider_serving(settings, "REVIEW_PROVIDER_BACKEND", "REVIEW") as server:
        yield server


def test_the_http_review_service_gets_the_three_details_keyed_by_order(review_service):
    order = delivered_order(user__first_name="Ada", user__last_name="Lovelace")
    assert run(14)["invited"] == 1
    assert review_service.received == [
        {
            "name": "Ada Lovelace",
            "email": order.user.email,
            "order_number": order.number,
            "language": "en",
        }
    ]
    assert review_service.keys == [f"review-{order.number}"]
    invitation = ReviewInvitation.objects.get(order=order)
    assert (invitation.provider, invitation.provider_reference) == ("http", "msg_1")
    assert Disclosure.objects.get(user=order.user, processor="reviews").outcome == "sent"


def test_a_review_service_that_fails_leaves_the_order_due(review_service, settings):
    order = delivered_order()
    review_service.fail_next = 1
    assert run(14) == {"invited": 0, "skipped": 0, "failed": 1}
    assert not ReviewInvitation.objects.filter(order=order).exists()
    assert not Disclosure.objects.filter(user=order.user, processor="reviews").exists()
    assert run(15)["invited"] == 1  # the next run tries again
    settings.REVIEW_HTTP_TOKEN = "wrong"  # a refused token is an error, never a 500
    other = delivered_order()
    assert run(16) == {"invited": 0, "skipped": 0, "failed": 1}
    assert not ReviewInvitation.objects.filter(order=other).exists()


def test_invitations_off_sends_and_records_nothing(settings):
    settings.REVIEW_PROVIDER_BACKEND = "off"
    order = delivered_order()
    assert run(14) == {"invited": 0, "skipped": 0, "failed": 0}
    assert review_invitation_send(order=order) is None
    assert MemoryReviewProvider.sent == []
    assert (
        not ReviewInvitation.objects.exists()
        and not Disclosure.objects.filter(processor="reviews").exists()
    )
