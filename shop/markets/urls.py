from django.urls import path

from shop.markets.views import market_switch

urlpatterns = [
    path("market/", market_switch, name="market-switch"),
]
