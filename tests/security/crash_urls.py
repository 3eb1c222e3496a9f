"""The site's URLs plus one view that raises, for test_error_page.py only."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from offtek.urls import urlpatterns as site_urlpatterns


class ShopBroke(RuntimeError):
    pass


def crash(request):
    raise ShopBroke("crash detail that must not reach the page")


urlpatterns = [*site_urlpatterns, *i18n_patterns(path("crash/", crash))]
