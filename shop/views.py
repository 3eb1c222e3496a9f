from django.shortcuts import render

from shop import selectors


def home(request):
    return render(
        request, "shop/home.html", {"manufacturers": selectors.manufacturers_with_systems()}
    )
