"""Fixtures shared by the project-level tests."""

import pytest
from django.core.management import call_command

KEYED = "privacy.cache_keys.cache_key_make"


@pytest.fixture
def raw_settings(settings):
    """Production's stores: the database cache and the database task queue."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "offtek_cache",
            "KEY_FUNCTION": KEYED,
        },
    }
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [], "OPTIONS": {}}
    }
    settings.SMS_BACKEND = "memory"
    settings.REVIEW_PROVIDER_BACKEND = "memory"
    settings.PAYMENT_GATEWAY = "simulator"
    settings.SITE_URL = "https://shop.test"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("createcachetable", verbosity=0)
    from django.core.cache import caches

    caches["default"].clear()
    return settings
