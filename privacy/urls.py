from django.urls import path

from privacy import views, views_rights

app_name = "privacy"

urlpatterns = [
    path("account/", views_rights.account_detail, name="account-detail"),
    path("account/details/", views_rights.profile_update, name="profile"),
    path("account/my-data/", views_rights.export_detail, name="export"),
    path("account/my-data.json", views_rights.export_download, name="export-download"),
    path("account/close/", views_rights.account_close, name="account-close"),
    path("account/closed/", views_rights.account_closed, name="account-closed"),
    path("privacy/contact/", views_rights.contact, name="contact"),
    path(
        "privacy/contact/confirm/<str:token>/", views_rights.contact_verify, name="contact-verify"
    ),
    path("unsubscribe/<str:token>/", views_rights.unsubscribe, name="unsubscribe"),
    path("account/preferences/", views.preferences_update, name="preferences"),
    path("account/preferences/confirm/", views.reconsent_update, name="reconsent"),
    path("account/security/", views.security_log, name="security-log"),
    path("privacy/", views.policy_detail, name="policy"),
    path("cookies/", views.cookies_detail, name="cookies"),
    path("cookies/choice/", views.cookie_choice_update, name="cookie-choice"),
]
