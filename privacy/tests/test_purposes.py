"""Purpose-bound access (privacy.purposes): the registry decides, the ledger answers
for consent purposes, and everything else is refused with a named exception."""

import pytest
from django.core import mail

from privacy.consent.purposes import (
    ConsentMissing,
    PurposeNotAllowed,
    for_purpose,
    uses_personal_data,
)
from privacy.consent.services import consents_record
from privacy.emails import email_send
from privacy.models import ConsentSource, Disclosure
from privacy.tests.factories import ConsentRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_declared_purpose_with_its_own_categories_is_allowed():
    with for_purpose("orders", categories=["contact", "transaction"]) as purpose:
        assert (purpose.key, purpose.basis) == ("orders", "contract")


@pytest.mark.parametrize("purpose", ["selling-lists", "", "ORDERS"])
def test_an_unknown_purpose_is_refused(purpose):
    with pytest.raises(PurposeNotAllowed, match="not a purpose"), for_purpose(purpose):
        pytest.fail("the block must not run")
    with pytest.raises(PurposeNotAllowed, match="not a purpose"):
        uses_personal_data(purpose, categories=[])


def test_a_category_the_purpose_does_not_cover_is_refused():
    # Statistics are made from transactions, never from contact details.
    with (
        pytest.raises(PurposeNotAllowed, match="contact"),
        for_purpose("statistics", categories=["transaction", "contact"]),
    ):
        pytest.fail("the block must not run")
    with pytest.raises(PurposeNotAllowed, match="gossip"):
        uses_personal_data("orders", categories=["gossip"])


def test_a_consent_purpose_needs_the_customers_latest_answer_to_be_yes():
    user = UserFactory()
    with pytest.raises(ConsentMissing), for_purpose("marketing-email", user=user):
        pytest.fail("never asked: the block must not run")

    ConsentRecordFactory(user=user, purpose="marketing-email", granted=True)
    with for_purpose("marketing-email", categories=["contact"], user=user) as purpose:
        assert purpose.key == "marketing-email"

    consents_record(user=user, choices={"marketing-email": False}, source=ConsentSource.DASHBOARD)
    with pytest.raises(ConsentMissing), for_purpose("marketing-email", user=user):
        pytest.fail("withdrawn: the block must not run")
    # A yes to another purpose does not stand in for this one.
    ConsentRecordFactory(user=user, purpose="review-invitations", granted=True)
    with pytest.raises(ConsentMissing), for_purpose("marketing-email", user=user):
        pytest.fail("withdrawn: the block must not run")


def test_a_consent_purpose_names_its_customer():
    with (
        pytest.raises(ConsentMissing, match="name the customer"),
        for_purpose("review-invitations"),
    ):
        pytest.fail("the block must not run")
    # A decorator cannot know each customer's answer: consent purposes are refused.
    with pytest.raises(PurposeNotAllowed, match="rests on consent"):
        uses_personal_data("marketing-email", categories=["contact"])


def test_a_decorated_function_is_marked_with_its_purpose_and_runs_unchanged():
    @uses_personal_data("fraud-prevention", categories=["technical"])
    def check(value):
        return value * 2

    assert check(21) == 42
    assert check.personal_data_purpose == ("fraud-prevention", ("technical",))


@pytest.mark.parametrize("purpose", [None, "gossip", "statistics"])
def test_an_email_to_a_customer_without_a_purpose_for_contact_data_is_refused(purpose):
    user = UserFactory()
    with pytest.raises(ValueError, match="purpose"):
        email_send(
            to=user.email,
            template="privacy/emails/request_verify",
            context={"verify_url": "https://shop.test/x"},
            language="en",
            user=user,
            purpose=purpose,
        )
    assert mail.outbox == [] and not Disclosure.objects.exists()
