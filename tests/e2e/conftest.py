import pytest

from shop.tests.stubs import stub_missing_templates


@pytest.fixture(autouse=True)
def _templates_from_other_branches(settings):
    stub_missing_templates(settings)


@pytest.fixture(autouse=True)
def _simulator(settings):
    settings.PAYMENT_GATEWAY = "simulator"
