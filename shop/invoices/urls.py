from django.urls import path

from shop.invoices import views

urlpatterns = [
    path(
        "orders/<str:number>/documents/<str:document>.pdf",
        views.document_download,
        name="document-download",
    ),
]
