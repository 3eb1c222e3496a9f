"""Two confirmations of the same withdrawal at once (a double click, two tabs): the
order's row lock lets one through; the other is refused, nothing written twice. The
control turns the lock off and shows both getting through."""

import pytest

from privacy.tests.races import rendezvous, run_together
from shop.models import Withdrawal
from shop.returns import services
from shop.returns.services import WithdrawalRefused, withdrawal_confirm
from shop.tests.factories_orders import delivered_order

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def both_check_before_either_writes(monkeypatch):
    """Hold each racer just after it read what is withdrawn already, until the other
    has read it too (or 1 s: with the lock, the other waits in PostgreSQL)."""
    meet = rendezvous()
    original = services.lines_withdrawn

    def held(order):
        found = original(order)
        meet()
        return found

    monkeypatch.setattr(services, "lines_withdrawn", held)


@pytest.mark.parametrize(
    ("locking", "withdrawals_expected"),
    [(True, 1), (False, 2)],
    ids=["with-the-order-lock", "control-without-the-lock-records-twice"],
)
def test_two_confirmations_at_once_record_one_withdrawal(
    monkeypatch, both_check_before_either_writes, locking, withdrawals_expected
):
    order = delivered_order()
    if not locking:
        monkeypatch.setattr(services, "row_lock", lambda row: row)
    line_ids = list(order.lines.values_list("pk", flat=True))

    def confirm():
        return withdrawal_confirm(
            order=order, name="Ada", email="ada@example.org", line_ids=line_ids, language="en"
        )

    results = run_together([confirm, confirm])
    assert Withdrawal.objects.count() == withdrawals_expected
    if locking:
        assert sorted(type(result).__name__ for result in results) == [
            "Withdrawal",
            "WithdrawalRefused",
        ]
        refused = next(r for r in results if isinstance(r, WithdrawalRefused))
        assert "already withdrawn" in str(refused)
