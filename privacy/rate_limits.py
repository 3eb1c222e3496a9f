"""Counters that limit repeated attempts at a public form, in the shared cache (so they
hold across processes and servers). Each attempt counts against every scope it names
(per IP address, per e-mail address, ...); the keys are hashed by the cache's
KEY_FUNCTION (privacy.cache_keys), so the cache holds no address in clear."""

from collections.abc import Mapping

from django.core.cache import cache


def rate_limit_hit(
    *, namespace: str, values: Mapping[str, str], limits: Mapping[str, tuple[int, int]]
) -> bool:
    """Count this attempt against each scope of ``values`` (scope -> value; an empty
    value is not counted); True if any scope is over its ``limits[scope]`` = (attempts,
    window in seconds)."""
    exceeded = False
    for scope, value in values.items():
        if not value:
            continue
        limit, window = limits[scope]
        key = f"{namespace}:{scope}:{value}"
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        exceeded = exceeded or count > limit
    return exceeded
