import pytest

from shop.tests.stand_ins import cookie_banner_missing, templates_with_fallback


@pytest.fixture(autouse=True)
def cookie_banner_stand_in(settings):
    if cookie_banner_missing():
        settings.TEMPLATES = templates_with_fallback(settings.TEMPLATES)
