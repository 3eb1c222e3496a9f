from django.urls import path

from shop.orders import views

urlpatterns = [
    path("orders/", views.order_list, name="order-list"),
    path("orders/<str:number>/", views.order_detail, name="order-detail"),
]
