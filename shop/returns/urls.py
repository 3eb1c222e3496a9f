from django.urls import path

from shop.returns import views

urlpatterns = [
    path("orders/<str:number>/withdraw/", views.withdrawal_start, name="withdrawal-start"),
    path("withdraw/", views.withdrawal_find, name="withdrawal-find"),
    path("withdraw/done/", views.withdrawal_done, name="withdrawal-done"),
    path("withdraw/<str:token>/", views.withdrawal_link, name="withdrawal-link"),
]
