"""The shop's URLs plus two bench-only pages: /bench/hello/, the baseline every page is
measured against, and /bench/layout/, the shop's layout around an empty catalog
fragment (the least any shopper page can cost)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from offtek.urls import urlpatterns as shop_urlpatterns


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


def layout(request):
    return render(request, "shop/catalog_page.html", {"title": "Layout", "fragment": ""})


urlpatterns = [path("bench/hello/", hello), path("bench/layout/", layout), *shop_urlpatterns]
