"""Every entry point that can move an order or a payment, tried against an order in
every status: the customer's pages, Stripe's webhooks (really signed, the real SDK
against the local fake), the simulator's pages, the courier's update, the staff
admin's actions and pages, the queued tasks and the management command.

Whatever the entry point, an order only ever makes a move its lifecycle allows; an
order held for review leaves that state only by a staff decision (or a refund, which
only staff can make); no entry point answers 5xx; a held order gets no "order paid"
e-mail; the customer's pages of the order, kept before (shop.customer_pages), read
afterwards as freshly rendered ones. The table `MUST` pins what each entry point does
where it acts, so that a grid of no-ops could not pass. A property test then runs any
sequence of the service-level entry points on one order (Hypothesis, with the sequences that matter
as explicit examples): every move it records is one the lifecycle allows, and a held
order becomes paid again only through a staff member's review."""

import contextlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from privacy.models import OutgoingEmail
from privacy.tests.factories import UserFactory
from shop.checkout.tasks import order_reservation_end, reservations_sweep
from shop.fulfilment.courier import courier_signature
from shop.fulfilment.dispatch import order_deliver, order_dispatch
from shop.models import Order, OrderStatus, Payment, PaymentStatus
from shop.orders.reservations import reservations_release_expired
from shop.orders.services import ORDER_LIFECYCLE, IllegalTransition, order_transition
from shop.payments.base import GatewayResult, Happened
from shop.payments.refunds import RefundError, payment_refund, refundable_now
from shop.payments.review import ReviewError, order_review_release
from shop.payments.services import PAYMENT_LIFECYCLE, payment_apply
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import OrderFactory, OrderLineFactory, PaymentFactory
from shop.tests.helpers import CARD_SUCCESS, basket_add, checkout_place
from shop.tests.stripe_steps import paid_by_webhook, post_event

pytestmark = pytest.mark.django_db
S = OrderStatus
P = PaymentStatus


@dataclass
class World:
    client: object  # the customer's
    staff_client: object
    fake: object
    order: Order
    payment: Payment  # the Stripe payment
    responses: list

    def answer(self, response):
        self.responses.append(response.status_code)
        return response

    @property
    def intent(self) -> str:
        return self.payment.reference


# ----------------------------------------------------------------- the entry points


def return_page(w: World):
    w.answer(w.client.get(reverse("shop:checkout-return", kwargs={"number": w.order.number})))


def pay_page(w: World):
    w.answer(w.client.get(reverse("shop:checkout-pay", kwargs={"number": w.order.number})))


def _event(w: World, kind: str, obj: dict):
    w.answer(post_event(w.client, kind, obj))


def intent_succeeded(w: World):
    """A replayed (or first) payment_intent.succeeded."""
    intent = w.fake.intent(w.intent)
    if intent["status"] != "succeeded":
        intent = w.fake.confirm(w.intent, "pm_card_gb")
    _event(w, "payment_intent.succeeded", intent)


def intent_failed(w: World):
    intent = {
        **w.fake.intent(w.intent),
        "status": "requires_payment_method",
        "last_payment_error": {"message": "Your card was declined.", "code": "card_declined"},
    }
    _event(w, "payment_intent.payment_failed", intent)


def intent_processing(w: World):
    _event(w, "payment_intent.processing", {**w.fake.intent(w.intent), "status": "processing"})


def intent_canceled(w: World):
    _event(w, "payment_intent.canceled", {**w.fake.intent(w.intent), "status": "canceled"})


def dispute_created(w: World):
    if not w.fake.intent(w.intent).get("latest_charge"):
        return "n/a"  # nothing was charged: nothing to dispute
    _event(w, "charge.dispute.created", w.fake.dispute_for(w.intent))


def dashboard_refund_in_full(w: World):
    if w.fake.intent(w.intent)["status"] != "succeeded":
        return "n/a"  # nothing was taken: nothing to refund
    given_back = sum(r["amount"] for r in w.fake.refunds_for(w.intent))
    if given_back >= w.payment.amount_pence:
        return "n/a"
    made = w.fake.refund_dashboard(w.intent, w.payment.amount_pence - given_back)
    _event(w, "refund.updated", w.fake.refund_settle(made["id"], status="succeeded"))


def simulator_card_form(w: World):
    extra = PaymentFactory(order=w.order, gateway="simulator", status=P.CREATED)
    url = reverse("shop:simulator-card", kwargs={"number": w.order.number, "payment_id": extra.pk})
    with override_settings(PAYMENT_GATEWAY="simulator"):  # as on a simulator deployment
        w.answer(w.client.post(url, {"number": CARD_SUCCESS, "expiry": "12/39", "cvc": "123"}))


def simulator_challenge_approved(w: World):
    extra = PaymentFactory(order=w.order, gateway="simulator", status=P.REQUIRES_ACTION)
    url = reverse(
        "shop:simulator-challenge", kwargs={"number": w.order.number, "payment_id": extra.pk}
    )
    with override_settings(PAYMENT_GATEWAY="simulator"):
        w.answer(w.client.post(url, {"decision": "approve"}))


def courier_delivered(w: World):
    payload = {"order": w.order.number, "tracking_number": "DPD1", "event": "delivered"}
    body = json.dumps(payload).encode()
    w.answer(
        w.client.post(
            reverse("courier-update"),
            body,
            content_type="application/json",
            headers={"X-Offtek-Signature": courier_signature(body=body)},
        )
    )


def _admin_action(w: World, action: str):
    w.answer(
        w.staff_client.post(
            reverse("admin:shop_order_changelist"),
            {"action": action, "_selected_action": [w.order.pk]},
        )
    )


def admin_hold(w: World):
    _admin_action(w, "hold_action")


def admin_deliver(w: World):
    _admin_action(w, "deliver_action")


def admin_dispatch(w: World):
    url = reverse("admin:shop_order_dispatch") + f"?ids={w.order.pk}"
    w.answer(w.staff_client.post(url, {"courier": "dpd", f"tracking_{w.order.pk}": "DPD1"}))


def _review(w: World, decision: str):
    url = reverse("admin:shop_order_review", args=[w.order.pk])
    w.answer(w.staff_client.post(url, {"decision": decision, "reason": "checked by hand"}))


def admin_review_release(w: World):
    _review(w, "release")


def _stripe_settles_refunds(w: World):
    """Stripe says the card refunds it was asked for succeeded (refund.updated)."""
    for refund in w.fake.refunds_for(w.intent):
        if refund["status"] == "pending":
            _event(w, "refund.updated", w.fake.refund_settle(refund["id"], status="succeeded"))


def admin_review_refund(w: World):
    _review(w, "refund")
    _stripe_settles_refunds(w)


def admin_refund_in_full(w: World):
    url = reverse("admin:shop_order_refund", args=[w.order.pk])
    w.answer(w.staff_client.post(url, {"amount_pence": "", "reason": "customer asked"}))
    _stripe_settles_refunds(w)


def _later(run: Callable):
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        run()


def task_reservation_end(w: World):
    _later(lambda: order_reservation_end.call(w.order.pk))


def task_reservations_sweep(w: World):
    _later(reservations_sweep.call)


def command_release_abandoned_orders(w: World):
    call_command("release_abandoned_orders", "--minutes", "0", stdout=io.StringIO())


ENTRY_POINTS: dict[str, Callable] = {
    "return page": return_page,
    "pay page": pay_page,
    "webhook payment_intent.succeeded": intent_succeeded,
    "webhook payment_intent.payment_failed": intent_failed,
    "webhook payment_intent.processing": intent_processing,
    "webhook payment_intent.canceled": intent_canceled,
    "webhook charge.dispute.created": dispute_created,
    "webhook refund.updated (dashboard, in full)": dashboard_refund_in_full,
    "simulator card form": simulator_card_form,
    "simulator 3-D Secure approved": simulator_challenge_approved,
    "courier update delivered": courier_delivered,
    "admin hold for review": admin_hold,
    "admin mark delivered": admin_deliver,
    "admin dispatch": admin_dispatch,
    "admin review: release": admin_review_release,
    "admin review: refund (Stripe settles it)": admin_review_refund,
    "admin refund in full (Stripe settles it)": admin_refund_in_full,
    "task order_reservation_end": task_reservation_end,
    "task reservations_sweep": task_reservations_sweep,
    "command release_abandoned_orders": command_release_abandoned_orders,
}
# Entry points where a staff member decides (the only way out of held-for-review,
# besides money given back).
STAFF_DECISIONS = {"admin review: release"}
REFUNDS = {
    "webhook refund.updated (dashboard, in full)",
    "admin review: refund (Stripe settles it)",
    "admin refund in full (Stripe settles it)",
}

# Where each entry point must act (start status -> end status); every other cell
# must leave the order where it was or make a move its lifecycle allows.
MUST = {
    ("return page", S.HELD_FOR_REVIEW): S.HELD_FOR_REVIEW,
    ("webhook payment_intent.succeeded", S.PENDING_PAYMENT): S.PAID,
    ("webhook payment_intent.succeeded", S.HELD_FOR_REVIEW): S.HELD_FOR_REVIEW,
    ("webhook payment_intent.succeeded", S.CANCELLED): S.PAID,  # late, stock still there
    ("webhook payment_intent.payment_failed", S.PENDING_PAYMENT): S.CANCELLED,
    ("webhook payment_intent.payment_failed", S.PAID): S.PAID,
    ("webhook payment_intent.processing", S.PENDING_PAYMENT): S.PENDING_PAYMENT,
    ("webhook charge.dispute.created", S.PAID): S.HELD_FOR_REVIEW,
    ("webhook charge.dispute.created", S.HELD_FOR_REVIEW): S.HELD_FOR_REVIEW,
    ("webhook refund.updated (dashboard, in full)", S.PAID): S.REFUNDED,
    ("webhook refund.updated (dashboard, in full)", S.HELD_FOR_REVIEW): S.REFUNDED,
    ("simulator card form", S.PENDING_PAYMENT): S.PAID,
    ("simulator card form", S.HELD_FOR_REVIEW): S.HELD_FOR_REVIEW,
    ("simulator 3-D Secure approved", S.HELD_FOR_REVIEW): S.HELD_FOR_REVIEW,
    ("courier update delivered", S.DISPATCHED): S.DELIVERED,
    ("courier update delivered", S.HELD_FOR_REVIEW): S.HELD_FOR_REVIEW,
    ("admin hold for review", S.PAID): S.HELD_FOR_REVIEW,
    ("admin mark delivered", S.HELD_FOR_REVIEW): S.HELD_FOR_REVIEW,
    ("admin dispatch", S.PAID): S.DISPATCHED,
    ("admin dispatch", S.HELD_FOR_REVIEW): S.HELD_FOR_REVIEW,
    ("admin review: release", S.HELD_FOR_REVIEW): S.PAID,
    ("admin review: release", S.PAID): S.PAID,
    ("admin review: refund (Stripe settles it)", S.HELD_FOR_REVIEW): S.REFUNDED,
    ("admin review: refund (Stripe settles it)", S.PAID): S.PAID,
    ("admin refund in full (Stripe settles it)", S.DELIVERED): S.REFUNDED,
    ("task order_reservation_end", S.PENDING_PAYMENT): S.CANCELLED,
    ("task order_reservation_end", S.HELD_FOR_REVIEW): S.HELD_FOR_REVIEW,
    ("task reservations_sweep", S.PENDING_PAYMENT): S.CANCELLED,
    ("command release_abandoned_orders", S.PENDING_PAYMENT): S.CANCELLED,
    ("command release_abandoned_orders", S.HELD_FOR_REVIEW): S.HELD_FOR_REVIEW,
}


# ----------------------------------------------------------------- the orders


@pytest.fixture
def staff():
    """A staff member's own browser (the customer keeps theirs)."""
    from allauth.mfa.models import Authenticator
    from django.test import Client

    member = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": "x"})
    browser = Client()
    browser.force_login(member)
    return browser


def order_in(status: str, *, client, staff_client, fake) -> World:
    """An order paid (or not) by card through Stripe, brought to `status` the way
    the shop brings orders there."""
    client.force_login(UserFactory())
    basket_add(client, ModuleFactory(stock=5, price_pence=2000), 2)
    order = checkout_place(client)
    client.get(reverse("shop:checkout-pay", kwargs={"number": order.number}))
    payment = order.payments.get()
    world = World(client, staff_client, fake, order, payment, [])
    if status == S.CANCELLED:
        order_transition(order=order, to=S.CANCELLED, reason="reservation expired")
    elif status != S.PENDING_PAYMENT:
        paid_by_webhook(client, fake, payment)
        order.refresh_from_db()
        assert order.status == S.PAID
        if status == S.HELD_FOR_REVIEW:
            order_transition(order=order, to=S.HELD_FOR_REVIEW, reason="staff hold")
        elif status in (S.DISPATCHED, S.DELIVERED):
            order_dispatch(order=order, courier="dpd", tracking_number="DPD1")
            if status == S.DELIVERED:
                order_deliver(order=order, source="courier")
        elif status == S.REFUNDED:
            dashboard_refund_in_full(world)
    order.refresh_from_db()
    assert order.status == status
    world.responses.clear()
    return world


PER_REQUEST = re.compile(r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')


def customer_pages(w: World) -> dict[str, str]:
    """The customer's pages of the order as they see them now (their flash messages
    shown first, on a page that is not kept)."""
    w.client.get(reverse("privacy:account-detail"))
    paths = [
        reverse("shop:order-detail", args=[w.order.number]),
        reverse("shop:order-list"),
        reverse("shop:checkout-done", args=[w.order.number]),
    ]
    pages = {}
    for path in paths:
        response = w.client.get(path)
        pages[path] = (response.status_code, PER_REQUEST.sub("", response.content.decode()))
    return pages


def _payment_statuses(order: Order) -> dict[int, str]:
    return dict(order.payments.values_list("pk", "status"))


@pytest.mark.parametrize("start", list(S.values))
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_every_entry_point_against_every_status(
    entry, start, client, staff, fake_stripe, django_capture_on_commit_callbacks
):
    world = order_in(start, client=client, staff_client=staff, fake=fake_stripe)
    payments_before = _payment_statuses(world.order)
    paid_emails = OutgoingEmail.objects.filter(template="shop/emails/order_paid")
    emails_before = paid_emails.count()
    kept_before = customer_pages(world)  # and kept

    with django_capture_on_commit_callbacks(execute=True):
        outcome = ENTRY_POINTS[entry](world)
    if outcome == "n/a":
        pytest.skip(f"{entry} does not apply to an order {start}")

    order = Order.objects.get(pk=world.order.pk)
    end = order.status
    assert all(code < 500 for code in world.responses), world.responses
    by_staff = entry in STAFF_DECISIONS
    assert end == start or ORDER_LIFECYCLE.allows(start, end, by_staff=by_staff), (start, end)
    if start == S.HELD_FOR_REVIEW and not by_staff:
        assert end in ({S.HELD_FOR_REVIEW, S.REFUNDED} if entry in REFUNDS else {start})
    if (entry, start) in MUST:
        assert end == MUST[entry, start]
    if end != S.PAID or start == S.PAID:
        assert paid_emails.count() == emails_before  # no "paid" e-mail without becoming paid
    for pk, status in _payment_statuses(order).items():
        before = payments_before.get(pk)
        if before is not None and before != status:
            assert PAYMENT_LIFECYCLE.allows(before, status), (before, status)
    seen = customer_pages(world)
    cache.clear()  # nothing kept: rendered from the database
    assert seen == customer_pages(world)
    if end != start:
        assert seen != kept_before  # control: the pages show the move


def test_the_return_page_reloaded_on_a_held_order_sends_nothing_and_asks_stripe_nothing(
    client, staff, fake_stripe, django_capture_on_commit_callbacks
):
    world = order_in(S.HELD_FOR_REVIEW, client=client, staff_client=staff, fake=fake_stripe)
    asked = len(fake_stripe.requests)
    emails = OutgoingEmail.objects.count()
    for _reload in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            return_page(world)
    world.order.refresh_from_db()
    assert world.order.status == S.HELD_FOR_REVIEW
    assert OutgoingEmail.objects.count() == emails
    assert len(fake_stripe.requests) == asked  # a settled payment is not asked about again


# ------------------------------------------- any sequence of entry points (property)


def _news(happened: str):
    """The provider reporting on the order's payment (as a webhook or the return
    page would apply it)."""

    def apply(order: Order, staff_member):
        payment = order.payments.get()
        result = GatewayResult(
            happened=Happened(happened),
            reference=payment.reference,
            amount_pence=order.total_pence,
            currency=order.currency,
            failure_message="declined",
        )
        payment_apply(payment=payment, result=result)

    return apply


def _try(*refusals):
    def wrap(step):
        def run(order: Order, staff_member):
            with contextlib.suppress(*refusals):
                step(order, staff_member)

        return run

    return wrap


STEPS = {
    "succeeded": _news("succeeded"),
    "failed": _news("failed"),
    "processing": _news("processing"),
    "disputed": _news("disputed"),
    "staff hold": _try(IllegalTransition)(
        lambda o, s: order_transition(order=o, to=S.HELD_FOR_REVIEW, reason=f"staff #{s.pk}")
    ),
    "staff release": _try(ReviewError)(
        lambda o, s: order_review_release(order=o, reason="checked", by=s)
    ),
    "paid without staff": _try(IllegalTransition)(
        lambda o, s: order_transition(order=o, to=S.PAID, reason="anyone")
    ),
    "dispatch": _try(IllegalTransition)(
        lambda o, s: order_dispatch(order=o, courier="dpd", tracking_number="T1")
    ),
    "deliver": _try(IllegalTransition)(lambda o, s: order_deliver(order=o, source="courier")),
    "reservation ends": lambda o, s: reservations_release_expired(
        orders=Order.objects.filter(pk=o.pk), older_than=timedelta(0)
    ),
    "staff refund": _try(RefundError)(
        lambda o, s: payment_refund(
            payment=o.payments.get(), amount_pence=refundable_now(order=o), by=s
        )
    ),
}


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.sampled_from(sorted(STEPS)), max_size=8))
@example(steps=["succeeded", "disputed", "succeeded", "paid without staff"])
@example(steps=["succeeded", "staff hold", "reservation ends", "dispatch", "deliver"])
@example(steps=["succeeded", "disputed", "staff release", "dispatch", "staff refund"])
def test_any_sequence_of_entry_points_makes_only_lifecycle_moves(steps):
    order = OrderFactory()
    OrderLineFactory(order=order)
    PaymentFactory(order=order)  # the simulator's, awaiting the card
    staff_member = UserFactory(is_staff=True)
    for step in steps:
        STEPS[step](Order.objects.get(pk=order.pk), staff_member)

    moves = list(order.events.filter(kind="status").order_by("pk"))
    for move in moves:
        by_staff = move.reason == f"staff #{staff_member.pk}"
        assert ORDER_LIFECYCLE.allows(move.from_status, move.to_status, by_staff=by_staff), move
        if (move.from_status, move.to_status) == (S.HELD_FOR_REVIEW, S.PAID):
            assert by_staff and order.events.filter(kind="review_released", pk__lt=move.pk)
