"""Fixtures shared by every test: Chromium for Playwright, and test artefacts."""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in the test thread; live_server's ORM calls
# from that thread are safe because each test owns its database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium instead of Playwright's own download (which cannot be fetched
    here). In CI a missing Chromium is an error, never a skip."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium is missing: CI must run the browser tests (apt-get install chromium)."
            )
        pytest.skip("Chromium is not installed; install Debian's chromium to run browser tests.")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_FLAGS}


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a request to a /fr/ page activates French for the
    rest of the thread, which would leak into the next test's reverse() calls."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with an empty in-memory cache: catalog pages are cached, and rate
    limits count in the cache. In memory whatever CACHE_URL says, so pinned query counts
    count the pages' own queries, not a database cache backend's."""
    from django.core.cache import caches

    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": alias,
            "KEY_FUNCTION": settings.CACHE_KEY_FUNCTION,
        }
        for alias in ("default", "layout")
    }
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
