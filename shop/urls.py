from django.urls import include, path

from shop import views

app_name = "shop"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("shop.urls_checkout")),
]
