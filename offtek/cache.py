"""The shared cache in Redis, with the database cache standing in while Redis is down.

Redis holds what every app server shares: sessions (read from the cache, written
through to the database: ``cached_db``), sign-in and privacy-request rate limits, TOTP
replay guards, the catalog version. None of it may make Redis a single point of
failure, so every operation that cannot reach Redis (refused, reset, timed out) is done
on the database cache instead (the ``FALLBACK`` alias, a ``DatabaseCache`` that
``createcachetable`` creates), and the whole process uses the fallback until a thread,
asking Redis every ``RETRY_SECONDS`` (2), finds it answering. Sessions read from the
fallback, or from the database on a miss, so no one is signed out; rate limits count
in the fallback.

When Redis answers again, what was written to the fallback during the outage may be
older in Redis (a session changed, a sign-out: a deletion leaves a tombstone row in the
fallback's table): before this process uses Redis again, every key the fallback holds
or deleted is deleted from Redis and from the fallback, so the next read goes to the
database (sessions) or starts afresh (counters). Keys are the same in both stores (the
same KEY_FUNCTION, prefix and version). A process that never saw the outage may read
such an older value for up to RETRY_SECONDS after Redis is back, until a process that
saw it has renewed the keys.

    CACHES["default"] = {"BACKEND": "offtek.cache.RedisWithFallbackCache",
                         "LOCATION": "redis://cache:6379/1",
                         "OPTIONS": {"FALLBACK": "fallback"}}
"""

import datetime
import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections, router, transaction

logger = logging.getLogger("offtek.cache")

# A Redis that does not answer must not hold a request for long.
REDIS_SOCKET_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
PURGE_BATCH = 500
# A key deleted while Redis was away is remembered in the fallback's table under its own
# name and this suffix (no key the key function makes ends with it); CLEARED: all of them.
DELETED = "#deleted"
CLEARED = "#cleared"
TOMBSTONE_EXPIRES = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


class Outage:
    """Whether this process is working without Redis (shared by its threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ongoing = False


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

    def _do(self, name, *args, deleting=None, **kwargs):
        if self._redis_usable():
            try:
                return getattr(super(), name)(*args, **kwargs)
            except self._redis_down as error:
                self._outage_begin(error)
        result = getattr(self._fallback, name)(*args, **kwargs)
        if deleting is not None:  # after: the fallback's clear() empties its whole table
            self._tombstones_write(deleting())
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._do("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._do("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._do("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._do("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        made = lambda: [self.make_and_validate_key(key, version=version)]  # noqa: E731
        return self._do("delete", key, version=version, deleting=made)

    def get_many(self, keys, version=None):
        return self._do("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._do("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._do("incr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._do("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        made = lambda: [self.make_and_validate_key(key, version=version) for key in keys]  # noqa: E731
        return self._do("delete_many", keys, version=version, deleting=made)

    def clear(self):
        return self._do("clear", deleting=lambda: [CLEARED])

    def delete_many_in_redis(self, keys, version=None) -> bool:
        """Delete in Redis now if it answers; never in the fallback, where the deletion
        would join the caller's database transaction and lock rows until it ends.
        Whether Redis did it."""
        if not self._redis_usable():
            return False
        try:
            super().delete_many(keys, version=version)
        except self._redis_down as error:
            self._outage_begin(error)
            return False
        return True

    def _tombstones_write(self, keys) -> None:
        """Remember in the fallback's table that these keys were deleted (or everything,
        CLEARED) while Redis was away: Redis's older copies go when it is back."""
        connection, table = self._fallback_table()
        expires = connection.ops.adapt_datetimefield_value(TOMBSTONE_EXPIRES)
        # Another process may be writing the same tombstone in a transaction not yet
        # committed: ON CONFLICT waits for it and then leaves its row (one tombstone is
        # as good as two). Sorted, so that two such writers never wait on each other.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for key in sorted(set(keys)):
                cursor.execute(
                    f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, '', %s) "  # noqa: S608
                    "ON CONFLICT (cache_key) DO NOTHING",
                    [key + DELETED, expires],
                )

    # The outage: begun by a failed operation, ended by a thread that waits for Redis.

    def _redis_usable(self) -> bool:
        return not self._outage.ongoing

    def _outage_begin(self, error) -> None:
        with self._outage.lock:
            if self._outage.ongoing:
                return
            self._outage.ongoing = True
        logger.warning("Redis is unreachable (%s): using the database cache.", error)
        threading.Thread(target=self._outage_watch, name="redis-outage", daemon=True).start()

    def _outage_watch(self) -> None:
        """Every RETRY_SECONDS, ask Redis; once it answers, renew what was written to
        the fallback meanwhile, and use Redis again."""
        try:
            while True:
                time.sleep(self._retry_seconds)
                try:
                    self._cache.get_client(None, write=True).ping()
                    purged = self._fallback_purge()
                    with self._outage.lock:
                        self._outage.ongoing = False
                    purged += self._fallback_purge()  # written while the first ran
                except self._redis_down:
                    continue
                except DatabaseError as error:
                    logger.warning("Redis is back, the database cache is not: %s", error)
                    continue
                except Exception:
                    # Without this thread the process would never use Redis again.
                    logger.exception("Asking whether Redis is back failed; asking again.")
                    continue
                logger.warning("Redis answers again (%d keys written meanwhile renewed).", purged)
                return
        finally:
            connections.close_all()  # this thread's own

    def _fallback_table(self):
        fallback = caches[self._fallback_alias]
        connection = connections[router.db_for_write(fallback.cache_model_class)]
        return connection, connection.ops.quote_name(fallback._table)

    def _fallback_purge(self) -> int:
        """Delete from Redis every key the fallback holds or deleted, then forget them."""
        connection, table = self._fallback_table()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key FROM {table}")  # noqa: S608 - a quoted name
            rows = [row[0] for row in cursor.fetchall()]
        if CLEARED + DELETED in rows:
            self._cache.clear()
        for start in range(0, len(rows), PURGE_BATCH):
            batch = rows[start : start + PURGE_BATCH]
            self._cache.delete_many([row.removesuffix(DELETED) for row in batch])
            with connection.cursor() as cursor:
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    f"DELETE FROM {table} WHERE cache_key IN ({marks})",  # noqa: S608
                    batch,
                )
        return len(rows)
