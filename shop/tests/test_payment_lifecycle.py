"""The payment's lifecycle: moves as data, one writer of Payment.status, and the
migration that encrypted the card fields keeps what was stored."""

import ast
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from privacy.lifecycle import IllegalTransition
from shop.models import PaymentStatus as P
from shop.payments.services import PAYMENT_LIFECYCLE, payment_transition
from shop.tests.factories_orders import PaymentFactory

SHOP = Path(__file__).resolve().parents[1]
WRITES = {"create", "update", "update_or_create", "get_or_create", "bulk_create"}


@pytest.mark.django_db
def test_a_succeeded_payment_never_moves_again():
    payment = PaymentFactory(status=P.SUCCEEDED)
    for to in (P.FAILED, P.PROCESSING, P.REQUIRES_ACTION, P.CREATED):
        with pytest.raises(IllegalTransition):
            payment_transition(payment=payment, to=to)
    payment.refresh_from_db()
    assert payment.status == P.SUCCEEDED


@pytest.mark.django_db
def test_moves_save_their_fields_and_repeat_moves_change_nothing():
    payment = PaymentFactory(status=P.CREATED)
    assert payment_transition(payment=payment, to=P.PROCESSING, fields={"card_last4": "4242"})
    assert not payment_transition(payment=payment, to=P.PROCESSING, fields={"card_last4": "0000"})
    payment.refresh_from_db()
    assert (payment.status, payment.card_last4) == (P.PROCESSING, "4242")


def test_every_status_has_its_moves_and_cancelled_is_gone():
    assert set(PAYMENT_LIFECYCLE.moves) == set(P.values)
    assert "cancelled" not in P.values


def _status_writes(tree: ast.AST) -> list[int]:
    """Lines that assign `.status` on something called payment, or pass status= to a
    Payment create/update."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "status"
                    and "payment" in ast.unparse(target.value).lower()
                ):
                    found.append(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
            and "Payment.objects" in ast.unparse(node.func)
            and any(keyword.arg == "status" for keyword in node.keywords)
        ):
            found.append(node.lineno)
    return found


def test_payment_transition_is_the_only_writer_of_payment_status():
    writers = {}
    for path in SHOP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        lines = _status_writes(ast.parse(path.read_text()))
        if lines:
            writers[str(path.relative_to(SHOP))] = lines
    assert writers == {}, writers


def test_control_the_writer_check_finds_a_direct_write():
    source = "def f(payment):\n    payment.status = 'succeeded'\n"
    assert _status_writes(ast.parse(source)) == [2]
    source = "Payment.objects.filter(pk=1).update(status='failed')\n"
    assert _status_writes(ast.parse(source)) == [1]
    assert _status_writes(ast.parse("Payment.objects.filter(status='failed')\n")) == []


@pytest.mark.django_db(transaction=True)
def test_the_encrypting_migration_keeps_stored_card_details():
    before = [("shop", "0005_sales_statistics")]
    after = [("shop", "0006_payment_card_encrypted_refund_status")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    order_model, payment_model = old.get_model("shop", "Order"), old.get_model("shop", "Payment")
    order = order_model.objects.create(
        number="OT-MIG-1",
        subtotal_pence=1000,
        delivery_pence=0,
        total_pence=1000,
        delivery_option="standard",
        delivery_name="A",
        delivery_line1="B",
        delivery_city="C",
        delivery_postcode="D",
        delivery_country="GB",
    )
    payment_model.objects.create(
        order=order,
        gateway="stripe",
        reference="pi_mig",
        amount_pence=1000,
        card_brand="visa",
        card_last4="4242",
        card_country="GB",
        cvc_check="pass",
        postcode_check="fail",
        risk_level="elevated",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    payment = new.get_model("shop", "Payment").objects.get(reference="pi_mig")
    assert (payment.card_last4, payment.postcode_check, payment.risk_level) == (
        "4242",
        "fail",
        "elevated",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT card_last4 FROM shop_payment WHERE reference = 'pi_mig'")
        assert b"4242" not in bytes(cursor.fetchone()[0])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
