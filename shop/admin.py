from shop import admin_orders  # noqa: F401
