from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("account/", views.account_detail, name="account-detail"),
    path("account/preferences/", views.preferences_update, name="preferences"),
    path("account/preferences/confirm/", views.reconsent_update, name="reconsent"),
    path("account/security/", views.security_log, name="security-log"),
    path("privacy/", views.policy_detail, name="policy"),
    path("cookies/", views.cookies_detail, name="cookies"),
    path("cookies/choice/", views.cookie_choice_update, name="cookie-choice"),
]
