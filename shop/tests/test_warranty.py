"""Warranty claims: opened by the customer on their own order line, processed by
staff through the claim state machine, e-mailed at each step; kept by retention."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from privacy import policy, registry
from privacy.purposes import purpose
from privacy.tests.factories import UserFactory
from shop.fulfilment.dispatch import order_dispatch
from shop.fulfilment.warranty.services import (
    CLAIM_TRANSITIONS,
    ClaimRefused,
    IllegalClaimTransition,
    claim_open,
    claim_transition,
)
from shop.models import ClaimStatus, OrderStatus, WarrantyClaim, WarrantyClaimEvent
from shop.tests.factories_orders import paid_order

pytestmark = pytest.mark.django_db
C = ClaimStatus
CLAIM = {"reason": "errors", "symptoms": "memtest86 shows errors at 0x3F00"}


def dispatched_order(**kwargs):
    order = paid_order(**kwargs)
    order_dispatch(order=order, courier="dpd", tracking_number="T1")
    return order


def claim_url(order, line):
    return reverse("shop:warranty-claim-open", args=[order.number, line.pk])


def test_customer_opens_a_claim_from_the_order_page(client, django_capture_on_commit_callbacks):
    order = dispatched_order()
    line = order.lines.get()
    client.force_login(order.user)
    page = client.get(reverse("shop:order-detail", args=[order.number]))
    assert claim_url(order, line) in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(claim_url(order, line), CLAIM, follow=True)
    claim = WarrantyClaim.objects.get()
    assert (claim.line, claim.user, claim.status) == (line, order.user, C.OPEN)
    assert claim.symptoms == CLAIM["symptoms"]
    assert f"Your claim {claim.number} is open" in response.text
    assert claim.number in mail.outbox[0].subject


def test_claim_symptoms_are_encrypted_at_rest():
    order = dispatched_order()
    claim_open(user=order.user, line=order.lines.get(), **CLAIM)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT symptoms FROM shop_warrantyclaim")
        (stored,) = cursor.fetchone()
    assert "memtest86" not in str(bytes(stored) if not isinstance(stored, str) else stored)


def test_another_customers_order_line_is_refused_and_changes_nothing(client):
    order = dispatched_order()
    intruder = UserFactory()
    client.force_login(intruder)
    response = client.post(claim_url(order, order.lines.get()), CLAIM)
    assert response.status_code == 404  # the same answer as for a line that does not exist
    assert not WarrantyClaim.objects.exists()


def test_the_refusal_is_in_french_for_a_french_page(client):
    order = dispatched_order()
    client.force_login(UserFactory())
    url = claim_url(order, order.lines.get()).replace("/en/", "/fr/")
    response = client.post(url, CLAIM)
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_a_double_submission_opens_one_claim(client):
    order = dispatched_order()
    client.force_login(order.user)
    client.post(claim_url(order, order.lines.get()), CLAIM)
    response = client.post(claim_url(order, order.lines.get()), CLAIM, follow=True)
    assert "A claim on this module is already in progress." in response.text
    assert WarrantyClaim.objects.count() == 1


def test_an_empty_claim_form_is_shown_again_with_errors(client):
    order = dispatched_order()
    client.force_login(order.user)
    response = client.post(claim_url(order, order.lines.get()), {"reason": "errors"})
    assert response.status_code == 400 and "This field is required" in response.text
    assert not WarrantyClaim.objects.exists()


def test_an_order_not_yet_dispatched_cannot_take_claims():
    order = paid_order()
    with pytest.raises(ClaimRefused, match="once the order has been dispatched"):
        claim_open(user=order.user, line=order.lines.get(), **CLAIM)


def test_a_lifetime_warranty_never_ends_and_a_limited_one_does():
    lifetime = dispatched_order(line__warranty_years=None)
    limited = dispatched_order(line__warranty_years=2)
    with time_machine.travel(datetime.timedelta(days=365 * 30)):
        claim_open(user=lifetime.user, line=lifetime.lines.get(), **CLAIM)
        with pytest.raises(ClaimRefused, match="ended"):
            claim_open(user=limited.user, line=limited.lines.get(), **CLAIM)


def test_a_limited_warranty_takes_claims_until_its_last_day():
    order = dispatched_order(line__warranty_years=1)
    with time_machine.travel(datetime.timedelta(days=364)):
        assert claim_open(user=order.user, line=order.lines.get(), **CLAIM)


def test_an_order_detached_from_the_account_by_erasure_cannot_take_claims():
    order = dispatched_order()
    customer = order.user
    # What account closure does to a kept purchase: the order no longer points to
    # the customer (or its address is anonymised).
    order.delivery_name = ""
    order.save(update_fields=["delivery_name"])
    with pytest.raises(ClaimRefused, match="erased"):
        claim_open(user=customer, line=order.lines.get(), **CLAIM)
    assert not WarrantyClaim.objects.exists()


def test_staff_walk_a_claim_through_its_steps_with_an_email_each_time(
    staff_client, django_capture_on_commit_callbacks
):
    order = dispatched_order(user__language="fr")
    claim = claim_open(user=order.user, line=order.lines.get(), **CLAIM)
    url = reverse("admin:shop_warrantyclaim_step", args=[claim.pk])
    for step in [C.APPROVED, C.RECEIVED, C.REPLACED, C.CLOSED]:
        with django_capture_on_commit_callbacks(execute=True):
            staff_client.post(url, {"to": step, "note": f"note {step}"})
        claim.refresh_from_db()
        assert claim.status == step
        assert f"note {step}" in mail.outbox[-1].body
    assert len(mail.outbox) == 4
    assert "Un module de remplacement" in mail.outbox[2].body  # French, the customer's language
    # The notes are kept encrypted with the steps; the history's change reasons, stored
    # in clear, name the steps only.
    reasons = set(claim.history.values_list("history_change_reason", flat=True))
    assert not any("note" in (reason or "") for reason in reasons), reasons
    assert list(claim.events.values_list("to_status", flat=True)) == [
        C.OPEN,
        C.APPROVED,
        C.RECEIVED,
        C.REPLACED,
        C.CLOSED,
    ]


def test_a_step_the_machine_forbids_is_refused_and_changes_nothing(staff_client):
    order = dispatched_order()
    claim = claim_open(user=order.user, line=order.lines.get(), **CLAIM)
    with pytest.raises(IllegalClaimTransition):
        claim_transition(claim=claim, to=C.REPLACED)
    response = staff_client.post(
        reverse("admin:shop_warrantyclaim_step", args=[claim.pk]), {"to": C.REFUNDED}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text
    claim.refresh_from_db()
    assert claim.status == C.OPEN and WarrantyClaimEvent.objects.count() == 1


def test_claim_states_only_finish_in_closed_or_rejected():
    finished = {status for status, nexts in CLAIM_TRANSITIONS.items() if not nexts}
    assert finished == {C.CLOSED, C.REJECTED}
    assert set(CLAIM_TRANSITIONS) == set(C.values)


def test_a_closed_claim_lets_the_customer_claim_again_later():
    order = dispatched_order()
    claim = claim_open(user=order.user, line=order.lines.get(), **CLAIM)
    claim_transition(claim=claim, to=C.REJECTED)
    assert claim_open(user=order.user, line=order.lines.get(), **CLAIM).status == C.OPEN


def test_lifetime_warranty_retention_keeps_claims_until_the_customer_asks():
    rule = policy.RETENTION["lifetime-warranty"]
    assert rule.action == "keep" and rule.period is None
    assert "until you ask us" in str(rule.until)
    assert registry.declaration_for(WarrantyClaim).retention == "lifetime-warranty"
    assert registry.declaration_for(WarrantyClaimEvent).retention == "lifetime-warranty"


def test_claims_are_in_the_customers_export():
    order = dispatched_order()
    claim = claim_open(user=order.user, line=order.lines.get(), **CLAIM)
    declaration = registry.declaration_for(WarrantyClaim)
    [row] = declaration.rows_for(order.user)
    with purpose(policy.OWN_DATA, subject=order.user):  # as the export runs
        exported = declaration.export_row(row)
    assert exported["claim"] == claim.number and exported["symptoms"] == CLAIM["symptoms"]
    assert order.status == OrderStatus.DISPATCHED


def claim_at(status):
    """A claim walked to `status` along allowed moves."""
    order = dispatched_order()
    claim = claim_open(user=order.user, line=order.lines.get(), **CLAIM)
    path = {
        C.OPEN: [],
        C.APPROVED: [C.APPROVED],
        C.REJECTED: [C.REJECTED],
        C.RECEIVED: [C.APPROVED, C.RECEIVED],
        C.REPLACED: [C.APPROVED, C.RECEIVED, C.REPLACED],
        C.REFUNDED: [C.APPROVED, C.RECEIVED, C.REFUNDED],
        C.CLOSED: [C.APPROVED, C.CLOSED],
    }[status]
    for step in path:
        claim_transition(claim=claim, to=step)
    return claim


@pytest.mark.parametrize(
    ("source", "target"), [(s, t) for s in C.values for t in C.values if s != t]
)
def test_every_claim_move_follows_the_table(source, target, django_capture_on_commit_callbacks):
    claim = claim_at(source)
    mail.outbox.clear()
    if target in CLAIM_TRANSITIONS[source]:
        with django_capture_on_commit_callbacks(execute=True):
            assert claim_transition(claim=claim, to=target) is True
        assert claim.status == target and len(mail.outbox) == 1
    else:
        with pytest.raises(IllegalClaimTransition):
            claim_transition(claim=claim, to=target)
        claim.refresh_from_db()
        assert claim.status == source and mail.outbox == []


def test_the_same_step_twice_changes_nothing():
    claim = claim_at(C.APPROVED)
    assert claim_transition(claim=claim, to=C.APPROVED) is False
    assert claim.events.filter(to_status=C.APPROVED).count() == 1


def test_staff_claim_list_query_count_is_pinned(staff_client, django_assert_max_num_queries):
    for _ in range(3):
        claim_at(C.OPEN)
    with django_assert_max_num_queries(12):
        page = staff_client.get(reverse("admin:shop_warrantyclaim_changelist"))
    assert page.status_code == 200 and page.text.count("RMA-") >= 3
