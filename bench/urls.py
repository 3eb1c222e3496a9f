"""The shop's URLs plus /bench/hello/, the baseline every page is measured against."""

from django.http import HttpResponse
from django.urls import path

from offtek.urls import urlpatterns as shop_urlpatterns


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *shop_urlpatterns]
