from django.urls import path

from shop.fulfilment.warranty import views as warranty_views

urlpatterns = [
    path(
        "orders/<str:number>/lines/<int:line_id>/warranty/",
        warranty_views.warranty_claim_open,
        name="warranty-claim-open",
    ),
]
