"""The shop's uses of personal data name their purpose (privacy.consent.purposes).
Consent purposes are checked customer by customer where the data is read (review
invitations: test_reviews.py; newsletters: privacy/tests/test_disclosure_ledger.py)."""

import pytest

from shop.fraud.services import fraud_verdict
from shop.fulfilment.dispatch import order_dispatch, order_dispatched_notify
from shop.fulfilment.sms.services import sms_attempt, sms_queue
from shop.orders.emails import _queue as order_email_queue
from shop.orders.statistics import sales_by_generation, sales_by_month


@pytest.mark.parametrize(
    ("function", "purpose"),
    [
        (sales_by_month, "statistics"),
        (sales_by_generation, "statistics"),
        (fraud_verdict, "fraud-prevention"),
        (order_dispatch, "orders"),
        (order_dispatched_notify, "orders"),
        (sms_queue, "orders"),
        (sms_attempt, "orders"),
        (order_email_queue, "orders"),
    ],
)
def test_each_use_names_its_purpose(function, purpose):
    assert function.personal_data_purpose[0] == purpose


def test_statistics_use_no_contact_data():
    for function in (sales_by_month, sales_by_generation):
        assert function.personal_data_purpose[1] == ("transaction",)
