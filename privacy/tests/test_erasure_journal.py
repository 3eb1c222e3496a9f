"""The erasure journal: every closure leaves an entry that names no one, and a replay
closes again exactly the accounts it matches."""

import io
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from privacy.models import ErasureReceipt, User
from privacy.rights.erasure import account_close
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def close(user, capture):
    with capture(execute=True):
        account_close(user=user)


def replay(*args) -> str:
    out = io.StringIO()
    call_command("erasure_replay", *args, stdout=out)
    return out.getvalue()


def test_a_closure_writes_one_entry_without_the_address(
    erasure_journal_dir, django_capture_on_commit_callbacks
):
    user = UserFactory(email="zq.journal@example.org")
    user_id = user.pk
    close(user, django_capture_on_commit_callbacks)
    files = list(erasure_journal_dir.glob("*.json"))
    assert len(files) == 1
    entry = json.loads(files[0].read_text())
    assert entry["user_id"] == user_id
    assert len(entry["email_hash"]) == 64
    assert "zq.journal" not in files[0].read_text()


def test_a_closure_rolled_back_writes_nothing(erasure_journal_dir):
    # No on-commit callback runs: the transaction the test runs in never commits.
    account_close(user=UserFactory())
    assert list(erasure_journal_dir.glob("*.json")) == []


def restore(user_id: int, email: str) -> User:
    """What a restored backup holds: the account as it was before it was closed."""
    return UserFactory(pk=user_id, email=email)


def test_replay_closes_again_a_restored_account_without_a_second_receipt(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="zq.restored@example.org")
    user_id = user.pk
    close(user, django_capture_on_commit_callbacks)
    restore(user_id, "zq.restored@example.org")
    mail.outbox.clear()

    assert "1 accounts would be closed again" in replay()
    assert User.objects.filter(pk=user_id).exists(), "a dry run changes nothing"
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 accounts closed again" in replay("--apply")
    assert not User.objects.filter(pk=user_id).exists()
    assert ErasureReceipt.objects.count() == 2
    assert mail.outbox == []
    assert "0 accounts would be closed again" in replay()  # idempotent


def test_an_id_reused_by_someone_else_is_not_touched(django_capture_on_commit_callbacks):
    user = UserFactory(email="zq.gone@example.org")
    user_id = user.pk
    close(user, django_capture_on_commit_callbacks)
    newcomer = restore(user_id, "zq.newcomer@example.org")
    assert "0 accounts would be closed again" in replay()
    with django_capture_on_commit_callbacks(execute=True):
        replay("--apply")
    assert User.objects.filter(pk=newcomer.pk, email="zq.newcomer@example.org").exists()


def test_an_unreadable_entry_stops_the_replay_with_a_clear_error(erasure_journal_dir):
    (erasure_journal_dir / "20260101T000000-broken.json").write_text("{not json")
    with pytest.raises(CommandError, match="erasure journal cannot be read"):
        replay("--apply")
