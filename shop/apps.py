from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = _("Shop")

    def ready(self):
        from privacy.own_pages import keeper_provide
        from shop import (
            account_sections,  # noqa: F401  (dashboard links)
            layout,  # noqa: F401 - fills the page cache's personal parts
            staff_roles,  # noqa: F401 - the shop's rows of the staff role matrix
        )
        from shop.basket import signals  # noqa: F401
        from shop.catalog import cache  # noqa: F401 - connects the catalog's cache signals
        from shop.checkout import checks as checkout_checks  # noqa: F401
        from shop.customer_pages import changes as customer_page_changes
        from shop.customer_pages.store import customer_page
        from shop.fulfilment import views as fulfilment_views  # noqa: F401 - order page part
        from shop.fulfilment.sms import checks as sms_checks  # noqa: F401
        from shop.invoices import views as invoice_views  # noqa: F401 - order page part
        from shop.payments import checks  # noqa: F401
        from shop.returns import views as returns_views  # noqa: F401 - order page part

        customer_page_changes.connect()  # kept customer pages end when their rows change
        keeper_provide(customer_page)  # privacy's own pages (the dashboard) are kept too
