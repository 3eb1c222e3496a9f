from django.urls import path

from shop.catalog import views

urlpatterns = [
    path("", views.home, name="home"),
    path("memory/", views.module_list, name="module-list"),
    path("memory/<slug:slug>/", views.module_detail, name="module-detail"),
    path("finder/", views.finder, name="finder"),
    path("finder/suggestions/", views.finder_suggestions, name="finder-suggestions"),
    path("finder/<slug:slug>/", views.system_detail, name="system-detail"),
    path("search/", views.search, name="search"),
]
