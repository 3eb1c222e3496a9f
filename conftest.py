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


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` (row-lock races, the backup drill) run on PostgreSQL
    only: on another database they are skipped, saying how to run them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: row locks, pg_dump (set DATABASE_URL)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


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


def redis_url() -> str:
    """The Redis server the tests may use: CACHE_URL when it says redis://."""
    url = os.environ.get("CACHE_URL", "")
    return url if url.startswith(("redis://", "rediss://")) else ""


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with an empty cache: catalog pages are cached, and rate limits
    and sessions live in the cache. In memory, so pinned query counts count the pages'
    own queries, not a database cache backend's; in Redis when CACHE_URL says redis://
    (CI runs the tests marked `redis` that way, against a real server)."""
    from django.core.cache import caches

    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": alias,
            "KEY_FUNCTION": settings.CACHE_KEY_FUNCTION,
        }
        for alias in ("default", "layout")
    }
    if redis_url():
        settings.CACHES["default"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
            "KEY_FUNCTION": settings.CACHE_KEY_FUNCTION,
        }
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def shared_redis(settings, empty_cache):
    """The default cache in a real Redis server (REDIS_URL, else a redis:// CACHE_URL),
    and a plain client to look into it. Without a server: a skip on a developer's
    machine, a failure in CI (.ci/run starts one), so these tests always run there."""
    url = os.environ.get("REDIS_URL", "") or redis_url()
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must give the Redis-backed tests a server: set REDIS_URL")
        pytest.skip("set REDIS_URL=redis://... to run the tests against Redis")
    import redis
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_FUNCTION": settings.CACHE_KEY_FUNCTION,
        },
    }
    caches["default"].clear()
    client = redis.Redis.from_url(url)
    yield client
    caches["default"].clear()
    client.close()


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def erasure_journal_dir(settings, tmp_path_factory):
    """Each test's account closures write their erasure journal to a folder of its own."""
    path = tmp_path_factory.mktemp("erasure-journal")
    settings.OFFTEK_ERASURE_JOURNAL_DIR = str(path)
    return path


TEST_DIRECTORIES = [
    f"{Path(__file__).resolve().parent / package}/"
    for package in ("tests", "shop/tests", "privacy/tests")
]


@pytest.fixture(autouse=True)
def tests_inspect_rows():
    """A test's own body and its factories read the rows the code under test wrote: those
    reads pass the purpose guard (privacy.purposes); the code under test gets no such
    pass. ``purposes_enforced`` takes it away for a test that proves a refusal."""
    from privacy import purposes

    purposes.trust_readers_in(TEST_DIRECTORIES)
    yield
    purposes.trust_readers_in(TEST_DIRECTORIES)


@pytest.fixture
def purposes_enforced(tests_inspect_rows):
    """No pass for the test's own reads: only active purposes open personal fields."""
    from privacy import purposes

    purposes.trust_readers_in([])
    yield
