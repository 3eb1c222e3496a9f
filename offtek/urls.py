from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from offtek.language import language_switch
from offtek.operations.health import liveness, readiness
from offtek.operations.metrics import metrics
from shop.fulfilment.views import courier_update
from shop.payments.urls import webhook_urlpatterns

urlpatterns = [
    path("i18n/setlang/", language_switch, name="set_language"),
    # Stripe calls this without a language prefix.
    *webhook_urlpatterns,
    # Couriers' signed delivery updates, also without a language prefix.
    path("couriers/updates/", courier_update, name="courier-update"),
    # For load balancers and Prometheus: no language, no personal data.
    path("healthz/", liveness, name="healthz"),
    path("readyz/", readiness, name="readyz"),
    path("metrics", metrics, name="metrics"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("privacy.urls")),  # account/, privacy/, cookies/
    path("", include("shop.urls")),
)
