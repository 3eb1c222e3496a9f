from django.urls import include, path

from shop import views
from shop.addresses import views as address_views

app_name = "shop"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("shop.urls_checkout")),
    path("account/addresses/", address_views.address_list, name="address-list"),
    path("account/addresses/add/", address_views.address_edit, name="address-add"),
    path("account/addresses/<int:address_id>/", address_views.address_edit, name="address-edit"),
    path(
        "account/addresses/<int:address_id>/delete/",
        address_views.address_remove,
        name="address-delete",
    ),
]
