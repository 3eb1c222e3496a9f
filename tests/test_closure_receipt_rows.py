"""A closed account's receipt against the raw database, row for row.

A customer with lifetime-warranty claims (one closed after two steps with staff notes,
one open) and a claim on a two-year warranty closes their account and keeps their
lifetime warranty. Every table is read with raw SQL before and after (privacy.scan's
table list, no model): for each declared kind of record, the rows that went are the
receipt's deleted rows, the rows left are the receipt's kept (or anonymised) rows, each
kept line naming its hold, history copies included. The symptoms and notes are then
nowhere in the database, encrypted or not, history tables included."""

import dataclasses

import pytest
from django.db import connection
from django.utils import translation

from privacy import policy, registry
from privacy.models import User
from privacy.rights.erasure import account_close
from privacy.rights.receipts import receipt_lines
from privacy.scan import database_scan, receipt_disagreements, table_names
from privacy.tests.factories import UserFactory
from shop.fulfilment.dispatch import order_dispatch
from shop.fulfilment.warranty.services import claim_open, claim_transition
from shop.models import WarrantyClaim
from shop.tests.factories_orders import paid_order

pytestmark = pytest.mark.django_db

SYMPTOMS = ["Zqclosed bank two errors", "Zqopen not detected after BIOS", "Zqshort warranty"]
NOTES = ["Zqnote please post it to Leeds", "Zqnote refund to card 4242"]
KEEP = frozenset({"lifetime-warranty"})


def raw_rows() -> dict[str, set]:
    """{table: primary keys (or whole rows, for a table without one)} by raw SQL."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in table_names():
            pk = connection.introspection.get_primary_key_column(cursor, table)
            column = quote(pk) if pk else "*"
            cursor.execute(f"SELECT {column} FROM {quote(table)}")  # noqa: S608 - introspected
            rows[table] = {row[0] if pk else row for row in cursor.fetchall()}
    return rows


def customer_with_claims():
    user = UserFactory(email="zqclaims@example.org")
    lifetime = paid_order(user=user, line__warranty_years=None, delivery_name="Zqkept Name")
    order_dispatch(order=lifetime, courier="dpd", tracking_number="T1")
    line = lifetime.lines.get()
    closed = claim_open(user=user, line=line, reason="errors", symptoms=SYMPTOMS[0])
    claim_transition(claim=closed, to="approved", note=NOTES[0])
    claim_transition(claim=closed, to="closed", note=NOTES[1])
    # A step saved before change reasons stopped carrying the note.
    WarrantyClaim.history.filter(id=closed.pk).update(history_change_reason=NOTES[0])
    claim_open(user=user, line=line, reason="not_detected", symptoms=SYMPTOMS[1])
    short = paid_order(user=user, line__warranty_years=2)
    order_dispatch(order=short, courier="dpd", tracking_number="T2")
    claim_open(user=user, line=short.lines.get(), reason="damaged", symptoms=SYMPTOMS[2])
    return user


def receipt_mismatches(receipt, before: dict, after: dict) -> list[str]:
    """Where the receipt's counts differ from the rows the database lost and kept."""
    lines = {}
    for item in receipt.outcomes:
        lines.setdefault(item["key"], []).append(item)
    mismatches = []
    erased_history = 0
    for declaration in registry.declarations():
        tables = [(declaration.label, declaration.model._meta.db_table)]
        if declaration.history_model is not None:
            tables.append(
                (f"history:{declaration.label}", declaration.history_model._meta.db_table)
            )
        for key, table in tables:
            left = before[table] & after[table]
            gone = before[table] - after[table]
            said = lines.get(key, [])
            kept = [i for i in said if i["outcome"] != policy.Outcome.DELETE]
            if key.startswith("history:"):
                erased_history += len(gone)
            else:
                deleted = sum(i["rows"] for i in said if i["outcome"] == policy.Outcome.DELETE)
                if deleted != len(gone):
                    mismatches.append(f"{table}: {len(gone)} rows gone, receipt {deleted}")
            if sum(i["remaining"] for i in kept) != len(left):
                mismatches.append(f"{table}: {len(left)} rows left, receipt {kept}")
            for item in kept:
                if item["outcome"] == policy.Outcome.KEEP and item["retention"] not in (
                    policy.RETENTION
                ):
                    mismatches.append(f"{table}: kept with no hold named ({item})")
    [history] = lines["history"]
    if history["rows"] != erased_history:
        mismatches.append(f"history: {erased_history} rows gone, receipt {history['rows']}")
    return mismatches


def test_the_receipt_lists_every_row_left_with_its_hold_and_no_symptoms_are_left(
    django_capture_on_commit_callbacks,
):
    user = customer_with_claims()
    before = raw_rows()
    assert before[WarrantyClaim._meta.db_table] and before["shop_historicalwarrantyclaim"]
    assert database_scan(markers=[*SYMPTOMS, *NOTES]).tables_with_findings() == {
        "shop_warrantyclaim",
        "shop_historicalwarrantyclaim",
        "shop_warrantyclaimevent",
    }
    with django_capture_on_commit_callbacks(execute=True):
        receipt = account_close(user=user, keep=KEEP).receipt
    after = raw_rows()

    assert receipt_mismatches(receipt, before, after) == []
    # What the closure itself wrote: the security log's line, about no one, and the
    # receipt's own e-mail in the sending queue (the receipt's "sent e-mails" line).
    new = {table: after[table] - before[table] for table in after}
    declared = {d.model._meta.db_table for d in registry.declarations()}
    assert {t: len(rows) for t, rows in new.items() if rows and t in declared} == {
        "privacy_securityevent": 1,
        "privacy_outgoingemail": 1,
    }
    assert {"key": "sent-emails", "outcome": "keep"}.items() <= receipt.outcomes[-1].items()
    assert not User.objects.filter(email="zqclaims@example.org").exists()

    by_key = {(i["key"], i["outcome"]): i for i in receipt.outcomes}
    assert by_key[("shop.warrantyclaim", "delete")]["rows"] == 1  # the two-year claim
    for key, field in [
        ("shop.warrantyclaim", "symptoms"),
        ("history:shop.warrantyclaim", "symptoms"),
        ("shop.warrantyclaimevent", "note"),
    ]:
        kept = by_key[(key, "keep")]
        assert (kept["retention"], kept["minimised"]) == ("lifetime-warranty", [field])
    assert by_key[("shop.warrantyclaim", "keep")]["rows"] == 2
    assert by_key[("shop.warrantyclaimevent", "keep")]["rows"] == 4

    report = database_scan(markers=[*SYMPTOMS, *NOTES])
    assert report.findings == [], "\n".join(map(str, report.findings))
    assert receipt_disagreements(receipt=receipt, report=report) == []
    # The kept claims still carry what honouring them needs.
    assert sorted(WarrantyClaim.objects.values_list("reason", "status", "line__part_number")) == [
        ("errors", "closed", WarrantyClaim.objects.first().line.part_number),
        ("not_detected", "open", WarrantyClaim.objects.first().line.part_number),
    ]
    with translation.override("en"):
        lines = {
            (str(line.title), str(line.outcome)): str(line.reason)
            for line in receipt_lines(receipt=receipt)
        }
    assert lines[("Your warranty claims", "deleted")] == ""
    for title, without in [
        ("Your warranty claims", "what happens"),
        ("Earlier versions of: Your warranty claims", "what happens"),
        ("Steps of your warranty claims", "note"),
    ]:
        reason = lines[(title, f"kept, without: {without}")]
        assert reason.startswith("Purchases with a lifetime warranty")


def test_control_a_row_left_off_the_receipt_is_a_mismatch():
    user = customer_with_claims()
    before = raw_rows()
    receipt = account_close(user=user, keep=KEEP).receipt
    receipt.outcomes = [i for i in receipt.outcomes if i["key"] != "history:shop.warrantyclaim"]
    mismatches = receipt_mismatches(receipt, before, raw_rows())
    assert [m.split(":")[0] for m in mismatches] == ["shop_historicalwarrantyclaim"]


def test_control_kept_claims_not_minimised_leave_their_symptoms(monkeypatch):
    [option] = registry.closure_options()
    unminimised = tuple(registry.Kept(k.model, k.path, detach=k.detach) for k in option.keeps)
    monkeypatch.setitem(
        registry._closure_options, option.key, dataclasses.replace(option, keeps=unminimised)
    )
    user = customer_with_claims()
    account_close(user=user, keep=KEEP)
    found = {(f.table, f.found) for f in database_scan(markers=SYMPTOMS).findings}
    assert found == {
        ("shop_warrantyclaim", SYMPTOMS[0]),
        ("shop_warrantyclaim", SYMPTOMS[1]),
        ("shop_historicalwarrantyclaim", SYMPTOMS[0]),
        ("shop_historicalwarrantyclaim", SYMPTOMS[1]),
    }
