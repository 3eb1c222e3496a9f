import pytest
from django.core.cache import cache

from shop.tests.stand_ins import cookie_banner_missing, templates_with_fallback


@pytest.fixture(autouse=True)
def cookie_banner_stand_in(settings):
    if cookie_banner_missing():
        settings.TEMPLATES = templates_with_fallback(settings.TEMPLATES)


@pytest.fixture(autouse=True)
def catalog_cache_empty():
    """Each test starts with an empty cache (the catalog pages are cached)."""
    cache.clear()
    yield
    cache.clear()
