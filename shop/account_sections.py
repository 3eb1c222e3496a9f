"""The shop's pages on the customer's account dashboard (privacy.accounts.dashboard)."""

from django.utils.translation import gettext_lazy as _

from privacy.accounts import dashboard

dashboard.home_register("shop:home")
dashboard.section_register(key="orders", title=_("My orders"), url_name="shop:order-list", order=10)
dashboard.section_register(
    key="addresses", title=_("My address book"), url_name="shop:address-list", order=20
)
