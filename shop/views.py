from django.shortcuts import render

from shop.catalog_views import manufacturers_listed


def home(request):
    return render(request, "shop/home.html", {"manufacturers": manufacturers_listed()})
