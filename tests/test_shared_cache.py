"""Redis as the shared cache of several app servers: CACHE_URL=redis:// selects Django's
own Redis backend, and sessions, sign-in lockouts, privacy-request limits and the
catalog version are kept in the Redis server, where every other app server reads them.

"Another app server" is a second, separate connection to the same Redis server
(caches.create_connection), which shares nothing with this process's cache object.
CI runs these with a real server (REDIS_URL); bench/cluster.py runs two real servers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from privacy.sessions import SessionStore
from privacy.tests.factories import PASSWORD, UserFactory
from shop.catalog.cache import CATALOG_VERSION_KEY, catalog_version
from shop.tests.factories import ModuleFactory
from shop.tests.test_page_cache import page_rendered

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

ROOT = Path(__file__).resolve().parent.parent


def redis_keys(shared_redis) -> list[str]:
    return [key.decode() for key in shared_redis.keys("*")]


def in_redis(shared_redis, key: str) -> bool:
    """Whether the cache key `key` (as the code names it) is stored in the server (under
    its hashed name: privacy/cache_keys.py)."""
    return bool(shared_redis.exists(caches["default"].make_key(key)))


def test_a_redis_cache_url_selects_the_redis_backend_with_its_fallback_and_works(shared_redis):
    url = shared_redis.connection_pool.connection_kwargs
    cache_url = f"redis://{url['host']}:{url['port']}/{url.get('db', 0)}"
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.core.cache import cache\n"
        "print(settings.CACHES['default']['BACKEND'])\n"
        "print(settings.SESSION_ENGINE)\n"
        "cache.set('offtek-settings-check', 'through redis', 30)\n"
        "print(cache.make_key('offtek-settings-check'))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "offtek.settings",
        "DJANGO_DEBUG": "true",
        "CACHE_URL": cache_url,
    }
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    backend, sessions, stored_as = output.stdout.split()
    # Django's RedisCache, with the database cache standing in while Redis is down.
    assert backend == "offtek.cache.RedisWithFallbackCache"
    assert sessions == "privacy.sessions"  # cached_db, encrypted in the cache too
    assert shared_redis.exists(stored_as)


def test_a_session_started_on_one_server_works_on_another(shared_redis):
    customer = Client()
    customer.force_login(UserFactory(email="ada@example.com"))
    key = customer.cookies["sessionid"].value
    assert in_redis(shared_redis, f"django.contrib.sessions.cached_db{key}"), "in Redis"
    other_server = caches.create_connection("default")
    stored = other_server.get(f"django.contrib.sessions.cached_db{key}")
    assert "ada@example.com" not in stored and "_auth_user_id" not in stored  # encrypted
    assert SessionStore().decode(stored)["_auth_user_id"]
    visitor = Client()
    visitor.cookies["sessionid"] = key
    assert visitor.get(reverse("privacy:account-detail")).status_code == 200


def test_a_sign_in_lockout_is_kept_where_every_server_sees_it(shared_redis):
    user = UserFactory()
    for _ in range(6):
        Client().post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    limits = [key for key in redis_keys(shared_redis) if ":allauth:" in key]
    assert limits, "allauth's failed sign-in counts are in Redis"
    # A fresh client (another browser, through any server) is locked out too.
    answer = Client().post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in answer.text


def test_privacy_request_limits_are_counted_in_redis(shared_redis):
    for _ in range(3):
        Client().post(
            reverse("privacy:contact"),
            {"kind": "access", "name": "Ada", "email": "ada@example.com", "message": "My data."},
        )
    assert in_redis(shared_redis, "privacy-request:ip:127.0.0.1")


def test_a_catalog_change_on_one_server_retires_pages_on_another(
    shared_redis, django_capture_on_commit_callbacks
):
    module = ModuleFactory(price_pence=4599, stock=5)
    url = module.get_absolute_url()
    assert "£45.99" in Client().get(url).text
    assert not page_rendered(Client().get(url)), "served from this server's page cache"
    before = catalog_version()
    # Another app server saves a new price: its signal bumps the version in Redis.
    type(module).objects.filter(pk=module.pk).update(price_pence=3999)
    caches.create_connection("default").set(CATALOG_VERSION_KEY, before + 1, None)
    page = Client().get(url)
    assert page_rendered(page), "re-rendered: the shared version moved"
    assert "£39.99" in page.text


def test_closing_an_account_ends_its_sessions_in_redis_too(shared_redis):
    from privacy.rights.erasure import account_close

    user = UserFactory()
    customer = Client()
    customer.force_login(user)
    key = customer.cookies["sessionid"].value
    assert in_redis(shared_redis, f"django.contrib.sessions.cached_db{key}")
    account_close(user=user)
    assert not in_redis(shared_redis, f"django.contrib.sessions.cached_db{key}")
    assert customer.get(reverse("privacy:account-detail")).status_code == 302
