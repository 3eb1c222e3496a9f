import pytest
from django.core.cache import cache

from shop.tests.stand_ins import cookie_banner_missing, templates_with_fallback


@pytest.fixture(autouse=True)
def cookie_banner_stand_in(settings):
    if cookie_banner_missing():
        settings.TEMPLATES = templates_with_fallback(settings.TEMPLATES)


@pytest.fixture(autouse=True)
def catalog_cache_empty(settings):
    """Each test starts with an empty in-memory cache (the catalog pages are cached).
    In memory whatever CACHE_URL says, so the pinned query counts count the pages'
    own queries, not the database cache backend's (a fixed few per page)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "catalog-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()
