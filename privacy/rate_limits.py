"""Rate limits on the forms anyone may post without an account (the Privacy Officer
contact form, a kept warranty's link): attempts are counted per window in the shared
cache, for each scope (the client's IP address, the e-mail address given). The cache's
key function (privacy.cache_keys) stores every key as a keyed hash: no address in it."""

from django.core.cache import cache


def rate_limit_hit(*, action: str, limits: dict[str, tuple[int, int]], values: dict) -> bool:
    """Count one attempt at `action` against each scope's limit: `limits` maps a scope to
    (attempts, window in seconds), `values` a scope to this attempt's value (an empty
    one is not counted). True if any limit is now exceeded."""
    exceeded = False
    for scope, value in values.items():
        value = (value or "").strip().lower()
        if not value:
            continue
        limit, window = limits[scope]
        key = f"{action}:{scope}:{value}"
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        exceeded = exceeded or count > limit
    return exceeded
