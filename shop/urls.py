from django.urls import include, path

from shop import catalog_views, views

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
]
