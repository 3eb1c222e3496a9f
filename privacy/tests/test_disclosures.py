"""The disclosure ledger: what went to which processor, append-only."""

import pytest

from privacy.disclosures import DisclosureNotAllowed, disclosure_record
from privacy.models import Disclosure, LedgerChangeRefused, erasure
from privacy.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("providers")]


def test_a_disclosure_is_recorded_with_its_fields_and_reference():
    user = UserFactory()
    row = disclosure_record(
        user=user,
        processor="reviews",
        purpose="review-invitations",
        fields=("name", "email", "order number"),
        reference="OT-2026-ABC123",
    )
    row.refresh_from_db()
    assert row.fields == ["name", "email", "order number"]
    assert list(user.disclosures.all()) == [row]


@pytest.mark.parametrize(
    ("processor", "purpose"), [("gossip", "review-invitations"), ("reviews", "selling-lists")]
)
def test_a_disclosure_the_policy_does_not_announce_is_refused(processor, purpose):
    user = UserFactory()
    with pytest.raises(ValueError, match="Unknown"):
        disclosure_record(user=user, processor=processor, purpose=purpose, fields=["email"])
    assert not Disclosure.objects.exists()


def test_more_than_the_policy_lets_a_processor_receive_is_refused_at_recording_too():
    """The second net behind the payload check: the ledger refuses to say the review
    service received the phone number; another processor is not limited this way."""
    user = UserFactory()
    with pytest.raises(DisclosureNotAllowed, match="phone"):
        disclosure_record(
            user=user, processor="reviews", purpose="review-invitations", fields=["phone"]
        )
    assert not Disclosure.objects.exists()
    disclosure_record(user=user, processor="couriers", purpose="orders", fields=["phone"])
    assert Disclosure.objects.count() == 1  # control


def test_disclosures_are_never_rewritten_and_go_only_with_erasure():
    user = UserFactory()
    row = disclosure_record(
        user=user, processor="reviews", purpose="review-invitations", fields=["email"]
    )
    row.reference = "changed"
    with pytest.raises(LedgerChangeRefused):
        row.save()
    with pytest.raises(LedgerChangeRefused):
        Disclosure.objects.filter(user=user).update(reference="x")
    with pytest.raises(LedgerChangeRefused):
        Disclosure.objects.filter(user=user).delete()
    with erasure():
        Disclosure.objects.filter(user=user).delete()
    assert not Disclosure.objects.exists()


def test_nothing_is_recorded_for_a_processor_the_configuration_does_not_use(settings):
    """A console backend prints on this server: nothing left it, so no row; the same
    call with the service configured is recorded (the control)."""
    user = UserFactory()
    disclosed = dict(user=user, processor="reviews", purpose="review-invitations", fields=["email"])
    settings.REVIEW_PROVIDER_BACKEND = "console"
    assert disclosure_record(**disclosed) is None
    assert not Disclosure.objects.exists()
    settings.REVIEW_PROVIDER_BACKEND = "memory"
    assert disclosure_record(**disclosed).processor == "reviews"
    assert Disclosure.objects.count() == 1
