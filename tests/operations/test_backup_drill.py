"""The backup drill, as an operator runs it (docs: operations, backups): pg_dump the
shop's database, close an account, restore the dump into a fresh database, check that
the keys open every encrypted value there, and replay the erasure journal so that the
closed account does not come back. PostgreSQL's own tools, the real commands."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from privacy.rights.erasure import account_close
from privacy.tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _pg_tools():
    """PostgreSQL itself is required by the ``postgres`` mark (see conftest.py)."""
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        if os.environ.get("CI"):
            pytest.fail("CI must run the backup drill: pg_dump and pg_restore are missing")
        pytest.skip("pg_dump and pg_restore are not installed")


def libpq(name: str) -> dict:
    s = connection.settings_dict
    return {
        "host": s["HOST"] or "127.0.0.1",
        "port": str(s["PORT"] or 5432),
        "user": s["USER"],
        "password": s["PASSWORD"] or "",
        "dbname": name,
    }


def pg(tool: str, *args: str, name: str):
    c = libpq(name)
    environment = {**os.environ, "PGPASSWORD": c["password"]}
    target = ["-h", c["host"], "-p", c["port"], "-U", c["user"]]
    subprocess.run([tool, *target, *args], check=True, env=environment, capture_output=True)


def manage(*args: str, database: str, journal: Path) -> subprocess.CompletedProcess:
    c = libpq(database)
    url = f"postgres://{c['user']}:{c['password']}@{c['host']}:{c['port']}/{database}"
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "true",
        "OFFTEK_ERASURE_JOURNAL_DIR": str(journal),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def emails_in(database: str) -> set[str]:
    with psycopg.connect(**libpq(database)) as conn:
        return {row[0] for row in conn.execute("SELECT email FROM privacy_user")}


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    pg("dropdb", "--if-exists", name, name="postgres")
    yield name
    pg("dropdb", "--if-exists", "--force", name, name="postgres")


def test_a_restored_backup_reads_back_and_brings_back_no_erased_customer(
    tmp_path, erasure_journal_dir, restored_name
):
    staying = UserFactory(email="zq.staying@example.org", first_name="Zqstaying")
    leaving = UserFactory(email="zq.leaving@example.org", first_name="Zqleaving")
    dump = tmp_path / "offtek.dump"
    source = connection.settings_dict["NAME"]
    pg("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source, name=source)

    account_close(user=leaving)  # after the backup: only the journal knows
    assert "zq.leaving@example.org" not in emails_in(source)

    pg("createdb", restored_name, name="postgres")
    pg("pg_restore", "--no-owner", f"--dbname={restored_name}", str(dump), name=restored_name)
    assert {"zq.staying@example.org", "zq.leaving@example.org"} <= emails_in(restored_name)

    # The keys open the canary and every encrypted value of every table.
    checked = manage(
        "check", "--database", "default", database=restored_name, journal=erasure_journal_dir
    )
    assert checked.returncode == 0, checked.stderr
    read_back = manage(
        "shell", "--no-imports", "-c",
        # An operator reads a customer's name for a purpose, as the code does.
        "from privacy.models import User\nfrom privacy.purposes import purpose\n"
        f"with purpose('account'):\n    print(User.objects.get(pk={staying.pk}).first_name)",
        database=restored_name, journal=erasure_journal_dir,
    )  # fmt: skip
    assert read_back.stdout.strip() == "Zqstaying", read_back.stderr

    replayed = manage(
        "erasure_replay", "--apply", database=restored_name, journal=erasure_journal_dir
    )
    assert replayed.returncode == 0, replayed.stderr
    assert "1 accounts closed again" in replayed.stdout
    emails = emails_in(restored_name)
    assert "zq.leaving@example.org" not in emails
    assert "zq.staying@example.org" in emails
