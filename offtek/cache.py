"""The shared cache in Redis, with the database cache standing in while Redis is down.

Redis holds what every app server shares: sessions (read from the cache, written
through to the database: ``cached_db``), sign-in and privacy-request rate limits, TOTP
replay guards, the catalog version. None of it may make Redis a single point of
failure, so every operation that cannot reach Redis (refused, reset, timed out) is done
on the database cache instead (the ``FALLBACK`` alias, a ``DatabaseCache`` that
``createcachetable`` creates), and Redis is left alone for ``RETRY_SECONDS`` (2) in
this process before it is tried again. Sessions read from the fallback, or from the
database on a miss, so no one is signed out; rate limits count in the fallback.

When Redis answers again, what was written to the fallback during the outage may be
older in Redis (a session changed, a sign-out): before it is used again, every key
held by the fallback is deleted from Redis and from the fallback, so the next read
goes to the database (sessions) or starts afresh (counters). Keys are the same in both
stores (the same KEY_FUNCTION, prefix and version).

    CACHES["default"] = {"BACKEND": "offtek.cache.RedisWithFallbackCache",
                         "LOCATION": "redis://cache:6379/1",
                         "OPTIONS": {"FALLBACK": "fallback"}}
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router

logger = logging.getLogger("offtek.cache")

# A Redis that does not answer must not hold a request for long.
REDIS_SOCKET_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
PURGE_BATCH = 500


class Outage:
    """Whether this process is working without Redis (shared by its threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ongoing = False
        self.retry_at = 0.0


class RedisWithFallbackCache(RedisCache):
    _outages: dict[str, Outage] = {}

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._fallback_alias = options.pop("FALLBACK")
        self._retry_seconds = float(options.pop("RETRY_SECONDS", 2))
        super().__init__(server, {**params, "OPTIONS": {**REDIS_SOCKET_OPTIONS, **options}})
        import redis

        self._redis_down = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self._outage = self._outages.setdefault(",".join(self._servers), Outage())

    @property
    def _fallback(self):
        return caches[self._fallback_alias]

    # Each operation: in Redis, or in the fallback while Redis is down.

    def _do(self, name, *args, **kwargs):
        if self._redis_usable():
            try:
                return getattr(super(), name)(*args, **kwargs)
            except self._redis_down as error:
                self._outage_begin(error)
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._do("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._do("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._do("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._do("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        return self._do("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._do("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._do("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._do("incr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._do("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._do("delete_many", keys, version=version)

    def clear(self):
        return self._do("clear")

    # The outage: begun by a failed operation, ended by a purge that reaches Redis.

    def _outage_begin(self, error) -> None:
        with self._outage.lock:
            if not self._outage.ongoing:
                logger.warning("Redis is unreachable (%s): using the database cache.", error)
            self._outage.ongoing = True
            self._outage.retry_at = time.monotonic() + self._retry_seconds

    def _redis_usable(self) -> bool:
        outage = self._outage
        if not outage.ongoing:
            return True
        if time.monotonic() < outage.retry_at:
            return False
        try:
            purged = self._fallback_purge()
        except self._redis_down as error:
            self._outage_begin(error)
            return False
        with outage.lock:
            if outage.ongoing:
                logger.warning("Redis answers again (%d keys written meanwhile renewed).", purged)
            outage.ongoing = False
        return True

    def _fallback_purge(self) -> int:
        """Delete every key the fallback holds from Redis, then from the fallback."""
        fallback = self._fallback
        connection = connections[router.db_for_write(fallback.cache_model_class)]
        table = connection.ops.quote_name(fallback._table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key FROM {table}")  # noqa: S608 - a quoted name
            keys = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(keys), PURGE_BATCH):
            batch = keys[start : start + PURGE_BATCH]
            self._cache.delete_many(batch)
            with connection.cursor() as cursor:
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    f"DELETE FROM {table} WHERE cache_key IN ({marks})",  # noqa: S608
                    batch,
                )
        return len(keys)
