from django.urls import path

from shop.addresses import views

urlpatterns = [
    path("account/addresses/", views.address_list, name="address-list"),
    path("account/addresses/add/", views.address_edit, name="address-add"),
    path("account/addresses/<int:address_id>/", views.address_edit, name="address-edit"),
    path(
        "account/addresses/<int:address_id>/delete/",
        views.address_remove,
        name="address-delete",
    ),
]
