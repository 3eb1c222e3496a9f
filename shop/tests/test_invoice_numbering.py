"""Invoice numbers under concurrent payments (PostgreSQL): one unbroken series, no
gap, no duplicate, and a control that turns the series lock off to show what the lock
prevents."""

import pytest

from privacy.tests.factories import UserFactory
from privacy.tests.races import racers_meet_at, run_together
from shop.invoices import numbering
from shop.models import Document, DocumentSeries
from shop.tests.factories import ModuleFactory
from shop.tests.invoice_steps import order_pay, order_placed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def both_read_the_series_before_either_writes():
    """Hold each racing payment when it reads the series row until the other has read
    it too (or 1 s has passed: with the lock, the other waits in PostgreSQL), so that
    without the lock both read the same last number every time."""
    with racers_meet_at(DocumentSeries):
        yield


def orders_awaiting_payment(count: int) -> list:
    module = ModuleFactory(stock=100)
    return [order_placed(user=UserFactory(), modules=[(module, 1)]) for _ in range(count)]


def test_concurrent_payments_number_their_invoices_without_gap_or_duplicate():
    orders = orders_awaiting_payment(8)
    results = run_together([lambda order=order: order_pay(order) for order in orders])
    assert not [r for r in results if isinstance(r, Exception)]
    sequences = sorted(Document.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 9))
    assert Document.objects.values("order").distinct().count() == 8
    assert DocumentSeries.objects.get().last_number == 8


@pytest.mark.parametrize(
    ("locking", "invoices_expected"),
    [(True, 2), (False, 1)],
    ids=["with-the-series-lock", "control-without-lock-loses-an-invoice"],
)
def test_two_payments_at_the_same_instant(
    monkeypatch, both_read_the_series_before_either_writes, locking, invoices_expected
):
    monkeypatch.setattr(numbering, "LOCK_SERIES", locking)
    DocumentSeries.objects.create(seller="offtek-uk")
    orders = orders_awaiting_payment(2)
    run_together([lambda order=order: order_pay(order) for order in orders])
    # Without the lock both took the same number: the second invoice hit the unique
    # (seller, sequence) constraint and was not issued.
    assert Document.objects.count() == invoices_expected
    sequences = sorted(Document.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, invoices_expected + 1))
