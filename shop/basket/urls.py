from django.urls import path

from shop.basket import views

urlpatterns = [
    path("basket/", views.basket_detail, name="basket-detail"),
    path("basket/add/", views.basket_add, name="basket-add"),
    path("basket/add-part/", views.basket_add_by_part_number, name="basket-add-part"),
    path("basket/lines/<int:line_id>/", views.basket_line_update, name="basket-line-update"),
    path("basket/lines/<int:line_id>/remove/", views.basket_line_delete, name="basket-line-remove"),
]
