from shop import (
    admin_fulfilment,  # noqa: F401
    admin_orders,  # noqa: F401
)
