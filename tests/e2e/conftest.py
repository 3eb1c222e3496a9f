import pytest


@pytest.fixture(autouse=True)
def _simulator(settings):
    settings.PAYMENT_GATEWAY = "simulator"
