"""Cache keys that name no one: the part after the first colon is a keyed hash.

Rate limits count per client IP address (allauth's ``allauth:rl:...:ip:<address>``,
the Privacy Officer form's), and the database cache stores its keys in clear, with
expired rows left until culled. Set as every cache's ``KEY_FUNCTION``: the namespace
before the first colon stays readable for operators, the rest is an HMAC under
SECRET_KEY, so a dump of the cache table holds no address.
"""

from django.utils.crypto import salted_hmac


def cache_key_make(key: str, key_prefix: str, version) -> str:
    namespace, _, rest = str(key).partition(":")
    if not rest:  # no namespace: all of it is hashed
        namespace, rest = "", namespace
    digest = salted_hmac("offtek.cache-key", rest, algorithm="sha256").hexdigest()
    return f"{key_prefix}:{version}:{namespace}:{digest}"
