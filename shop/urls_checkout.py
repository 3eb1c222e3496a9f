"""Basket, checkout, payments and the customer's orders (included by shop/urls.py)."""

from django.urls import path

from shop.basket import views as basket_views
from shop.checkout import views as checkout_views
from shop.orders import views as order_views
from shop.warranty import kept_views
from shop.warranty import views as warranty_views

urlpatterns = [
    path("basket/", basket_views.basket_detail, name="basket-detail"),
    path("basket/add/", basket_views.basket_add, name="basket-add"),
    path("basket/add-part/", basket_views.basket_add_by_part_number, name="basket-add-part"),
    path("basket/lines/<int:line_id>/", basket_views.basket_line_update, name="basket-line-update"),
    path(
        "basket/lines/<int:line_id>/remove/",
        basket_views.basket_line_delete,
        name="basket-line-remove",
    ),
    path("checkout/", checkout_views.checkout, name="checkout"),
    path("checkout/<str:number>/pay/", checkout_views.checkout_pay, name="checkout-pay"),
    path("checkout/<str:number>/return/", checkout_views.checkout_return, name="checkout-return"),
    path("checkout/<str:number>/done/", checkout_views.checkout_done, name="checkout-done"),
    path(
        "checkout/<str:number>/rebasket/",
        checkout_views.checkout_rebasket,
        name="checkout-rebasket",
    ),
    path(
        "checkout/<str:number>/simulator/<int:payment_id>/",
        checkout_views.simulator_card,
        name="simulator-card",
    ),
    path(
        "checkout/<str:number>/simulator/<int:payment_id>/3ds/",
        checkout_views.simulator_challenge,
        name="simulator-challenge",
    ),
    path("orders/", order_views.order_list, name="order-list"),
    path("orders/<str:number>/", order_views.order_detail, name="order-detail"),
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
