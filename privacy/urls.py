from django.urls import path

from privacy.accounts import views as accounts
from privacy.consent import views as consent
from privacy.rights import views as rights

app_name = "privacy"

urlpatterns = [
    path("account/", accounts.account_detail, name="account-detail"),
    path("account/details/", accounts.profile_update, name="profile"),
    path("account/my-data/", rights.export_detail, name="export"),
    path("account/my-data.json", rights.export_download, name="export-download"),
    path("account/close/", rights.account_close, name="account-close"),
    path("account/closed/", rights.account_closed, name="account-closed"),
    path("privacy/contact/", rights.contact, name="contact"),
    path("privacy/contact/confirm/<str:token>/", rights.contact_verify, name="contact-verify"),
    path("unsubscribe/<str:token>/", consent.unsubscribe, name="unsubscribe"),
    path("account/preferences/", consent.preferences_update, name="preferences"),
    path("account/preferences/confirm/", consent.reconsent_update, name="reconsent"),
    path("account/security/", accounts.security_log, name="security-log"),
    path("account/disclosures/", rights.disclosure_list, name="disclosures"),
    path("privacy/", consent.policy_detail, name="policy"),
    path("cookies/", consent.cookies_detail, name="cookies"),
]
