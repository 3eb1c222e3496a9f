from django.shortcuts import render
from django.views.decorators.http import require_safe

from shop.catalog_views import demo_catalog_shown, manufacturers_listed
from shop.page_cache import shared_page


@require_safe
@shared_page
def home(request):
    return render(
        request,
        "shop/home.html",
        {"manufacturers": manufacturers_listed(), "demo_catalog": demo_catalog_shown()},
    )
