"""The history of a row: kept for staff edits and deletions, not written for an erasure
whose caller deletes the row's history itself."""

import pytest

from privacy.history import deletions_unrecorded
from privacy.models import User
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_deletion_is_recorded_in_the_history():
    user = UserFactory(email="recorded@example.com")
    User.objects.filter(pk=user.pk).delete()
    assert User.history.filter(id=user.pk, history_type="-").count() == 1


def test_a_deletion_inside_deletions_unrecorded_writes_no_history_row():
    user = UserFactory(email="unrecorded@example.com")
    with deletions_unrecorded():
        User.objects.filter(pk=user.pk).delete()
    assert not User.objects.filter(pk=user.pk).exists()
    assert User.history.filter(id=user.pk).exists()  # older rows: the caller's to delete
    assert not User.history.filter(id=user.pk, history_type="-").exists()
    other = UserFactory(email="after@example.com")
    other_pk = other.pk
    other.delete()  # the context has ended: recorded again
    assert User.history.filter(id=other_pk, history_type="-").exists()
