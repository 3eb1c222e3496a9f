"""The backups retention rule, applied to a folder of dump files by the command."""

import io
import os

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from privacy import policy

DAY = 24 * 3600


def aged(path, days: float):
    path.write_text("dump")
    stamp = timezone.now().timestamp() - days * DAY
    os.utime(path, (stamp, stamp))
    return path


def prune(*args) -> str:
    out = io.StringIO()
    call_command("backups_prune", *args, stdout=out)
    return out.getvalue()


def test_backups_and_journal_entries_past_the_period_go_and_the_rest_stay(
    tmp_path, erasure_journal_dir
):
    period = policy.RETENTION["backups"].days
    old = aged(tmp_path / "offtek-old.dump", period + 1)
    young = aged(tmp_path / "offtek-young.dump", period - 1)
    other = aged(tmp_path / "notes.txt", period + 10)  # not a backup: never touched
    old_entry = aged(erasure_journal_dir / "old.json", period + 1)
    young_entry = aged(erasure_journal_dir / "young.json", 1)

    report = prune("--dir", str(tmp_path))
    assert "1 backups and 1 erasure-journal entries would be deleted" in report
    assert old.exists() and old_entry.exists(), "a dry run deletes nothing"

    assert "1 backups and 1 erasure-journal entries deleted" in prune(
        "--dir", str(tmp_path), "--apply"
    )
    assert not old.exists() and not old_entry.exists()
    assert young.exists() and young_entry.exists() and other.exists()


def test_the_backups_period_is_on_the_privacy_page(client):
    with time_machine.travel("2026-12-07"):
        for language, words in (
            ("en", ["Copies of our database kept to recover from a failure", "35 days"]),
            ("fr", ["Copies de notre base de données gardées pour repartir", "35 jours"]),
        ):
            page = client.get(f"/{language}/privacy/").text
            assert [w for w in words if w not in page] == []


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        prune("--dir", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="--dir"):
        call_command("backups_prune", "--dir", "")
