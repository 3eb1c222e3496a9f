"""Which gateway is active (settings.PAYMENT_GATEWAY) and the classes by name."""

from django.conf import settings

from shop.payments.base import PaymentGateway
from shop.payments.simulator import SimulatorGateway
from shop.payments.stripe import StripeGateway

GATEWAYS: dict[str, type[PaymentGateway]] = {
    "simulator": SimulatorGateway,
    "stripe": StripeGateway,
}


def gateway_get(name: str | None = None) -> PaymentGateway:
    """The gateway called `name`, or the active one."""
    return GATEWAYS[name or settings.PAYMENT_GATEWAY]()
