from django.urls import path

from shop.checkout import views

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/<str:number>/pay/", views.checkout_pay, name="checkout-pay"),
    path("checkout/<str:number>/return/", views.checkout_return, name="checkout-return"),
    path("checkout/<str:number>/done/", views.checkout_done, name="checkout-done"),
    path("checkout/<str:number>/rebasket/", views.checkout_rebasket, name="checkout-rebasket"),
]
