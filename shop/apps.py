from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = _("Shop")

    def ready(self):
        from shop import (
            account_sections,  # noqa: F401  (dashboard links)
            catalog_cache,  # noqa: F401 - connects the catalog's cache signals
        )
        from shop.basket import signals  # noqa: F401
        from shop.payments import checks  # noqa: F401
        from shop.sms import checks as sms_checks  # noqa: F401
