"""The staff admin, one module per part of the shop."""

from shop.admin import (  # noqa: F401 - each module registers its admin
    catalog,
    fulfilment,
    invoices,
    orders,
    returns,
    statistics,
)
