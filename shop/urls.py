"""The shop's pages, one URL module per part of the shop (names live in the `shop` namespace)."""

from django.urls import include, path

app_name = "shop"

urlpatterns = [
    path("", include("shop.catalog.urls")),
    path("", include("shop.basket.urls")),
    path("", include("shop.checkout.urls")),
    path("", include("shop.payments.urls")),  # the simulator's pages
    path("", include("shop.orders.urls")),
    path("", include("shop.invoices.urls")),
    path("", include("shop.fulfilment.urls")),
    path("", include("shop.addresses.urls")),
    path("", include("shop.returns.urls")),
    path("", include("shop.legal.urls")),
    path("", include("shop.markets.urls")),
]
