"""The real services for the fault tests: one stack (bench/stack.py: PostgreSQL,
Redis, a mail server, gunicorn, `manage.py worker`) for the whole module run, started
once (about 45 s) and stopped at the end. Each test injects its fault and puts the
service back. Without PostgreSQL's binaries, redis-server or aiosmtpd these tests skip
on a workstation and fail in CI, which must run them."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from bench.stack import Stack, missing_binaries

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "faults"


def _unavailable() -> list[str]:
    missing = missing_binaries()
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        missing.append("aiosmtpd (pip install -r requirements-dev.txt)")
    return missing


@pytest.fixture(scope="session")
def stack():
    missing = _unavailable()
    if missing:
        message = "the fault tests need " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the fault tests: {message}")
        pytest.skip(message)
    workdir = Path(tempfile.mkdtemp(prefix="offtek-faults-"))
    with Stack(workdir, shoppers=8) as started:
        yield started
    # Kept for a failed run: the services' logs.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for log in ("gunicorn.log", "worker.log", "pg.log"):
        if (workdir / log).exists():
            shutil.copy(workdir / log, ARTIFACTS / log)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def services(stack):
    """The stack as each test finds it: every service up, the mail server accepting."""
    stack.mail.release()
    stack.mail.up()
    if not stack.redis.answers():
        stack.redis.start()
    if not stack.worker.alive():
        stack.worker.start()
    return stack
