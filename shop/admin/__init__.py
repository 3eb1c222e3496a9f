"""The staff admin, one module per part of the shop."""

from shop.admin import catalog, fulfilment, orders  # noqa: F401 - each module registers its admin
