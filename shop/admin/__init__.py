"""The staff admin, one module per part of the shop."""

from shop.admin import catalog  # noqa: F401 - registers the catalog's admin
