"""Payment URLs. `urlpatterns` (the simulator's pages) are included in the shop's
namespace under the language prefix; `webhook_urlpatterns` are included by the
project without one, as providers call them."""

from django.urls import path

from shop.payments import views

urlpatterns = [
    path(
        "checkout/<str:number>/simulator/<int:payment_id>/",
        views.simulator_card,
        name="simulator-card",
    ),
    path(
        "checkout/<str:number>/simulator/<int:payment_id>/3ds/",
        views.simulator_challenge,
        name="simulator-challenge",
    ),
]

webhook_urlpatterns = [
    path("payments/stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
]
