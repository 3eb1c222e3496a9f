from django.urls import include, path

from shop import catalog_views, views
from shop.addresses import views as address_views

app_name = "shop"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("shop.urls_checkout")),
    path("memory/", catalog_views.module_list, name="module-list"),
    path("memory/<slug:slug>/", catalog_views.module_detail, name="module-detail"),
    path("finder/", catalog_views.finder, name="finder"),
    path("finder/suggestions/", catalog_views.finder_suggestions, name="finder-suggestions"),
    path("finder/<slug:slug>/", catalog_views.system_detail, name="system-detail"),
    path("search/", catalog_views.search, name="search"),
    path("account/addresses/", address_views.address_list, name="address-list"),
    path("account/addresses/add/", address_views.address_edit, name="address-add"),
    path("account/addresses/<int:address_id>/", address_views.address_edit, name="address-edit"),
    path(
        "account/addresses/<int:address_id>/delete/",
        address_views.address_remove,
        name="address-delete",
    ),
]
