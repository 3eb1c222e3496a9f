from django.urls import path

from shop.fulfilment.warranty import kept_views
from shop.fulfilment.warranty import views as warranty_views

urlpatterns = [
    path(
        "orders/<str:number>/lines/<int:line_id>/warranty/",
        warranty_views.warranty_claim_open,
        name="warranty-claim-open",
    ),
    path("warranty/kept/", kept_views.kept_warranty, name="kept-warranty"),
    path(
        "warranty/kept/<str:token>/", kept_views.kept_warranty_detail, name="kept-warranty-detail"
    ),
]
