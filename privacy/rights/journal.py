"""The erasure journal: what a database restore must not bring back.

A backup taken before a customer closed their account still holds them. Each closure
therefore writes one small file, outside the database, to a directory that is not in
the backup (``OFFTEK_ERASURE_JOURNAL_DIR``, on storage the database's restore does not
touch): the user's id, a keyed hash of their login e-mail and the date. It names no
one: without the key and a database that holds the address, the hash is a number.
After a restore, ``manage.py erasure_replay --apply`` closes again every account of the
restored database that the journal says was closed (the id and the e-mail's hash must
both match, so an id reused by a newer account is never touched).

The hash key is ``OFFTEK_ERASURE_JOURNAL_KEY`` (by default derived from SECRET_KEY):
keep it when rotating the other keys, or older entries no longer match.
"""

import datetime
import json
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JournalEntry:
    user_id: int
    email_hash: str
    closed_on: datetime.date


def journal_dir() -> Path:
    return Path(settings.OFFTEK_ERASURE_JOURNAL_DIR)


def email_hash(email: str) -> str:
    return salted_hmac(
        "privacy.erasure-journal",
        email.strip().lower(),
        secret=settings.OFFTEK_ERASURE_JOURNAL_KEY or None,
        algorithm="sha256",
    ).hexdigest()


def journal_append(*, user_id: int, email: str) -> Path:
    """Write one entry (its own file: several app servers can write at once)."""
    directory = journal_dir()
    directory.mkdir(parents=True, exist_ok=True)
    entry = {
        "user_id": user_id,
        "email_hash": email_hash(email),
        "closed_on": timezone.localdate().isoformat(),
    }
    path = directory / f"{timezone.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex}.json"
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(entry))
    partial.replace(path)  # whole or absent, never half-written
    return path


def journal_entries() -> list[JournalEntry]:
    entries = []
    for path in sorted(journal_dir().glob("*.json")):
        try:
            raw = json.loads(path.read_text())
            entries.append(
                JournalEntry(
                    user_id=int(raw["user_id"]),
                    email_hash=str(raw["email_hash"]),
                    closed_on=datetime.date.fromisoformat(raw["closed_on"]),
                )
            )
        except (ValueError, KeyError, TypeError):
            logger.error("Erasure journal: unreadable entry %s", path.name)
            raise
    return entries


def entry_matches(entry: JournalEntry, *, user_id: int, email: str) -> bool:
    return entry.user_id == user_id and constant_time_compare(entry.email_hash, email_hash(email))
