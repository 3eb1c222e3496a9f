"""The security log holds exactly the events that happened, each driven through the
pages a customer uses: present when it happens, absent when it does not."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from privacy.models import SecurityEvent, SecurityEventKind, User
from privacy.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

K = SecurityEventKind
NEW_PASSWORD = "another-long-passphrase-77"


def kinds(user):
    return sorted(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def customer():
    return UserFactory(phone="+447911123456", first_name="Ada", last_name="Lovelace")


@pytest.fixture
def signed_in(customer):
    client = Client()
    login(client, customer.email, PASSWORD)
    SecurityEvent.objects.all().delete()  # start each test from an empty log
    return client


def test_sign_up_and_confirmation_log_a_sign_in_and_no_email_change(
    django_capture_on_commit_callbacks,
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
    link = re.search(r"https?://[^/\s]+(/\S*/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    user = User.objects.get(email="new@example.com")
    assert SESSION_KEY in client.session
    assert kinds(user) == [K.LOGIN]


def test_sign_in_is_logged_and_no_failure_with_it(customer):
    login(Client(), customer.email, PASSWORD)
    assert kinds(customer) == [K.LOGIN]


def test_a_failed_sign_in_is_logged_and_no_sign_in_with_it(customer):
    login(Client(), customer.email, "wrong-password")
    assert kinds(customer) == [K.LOGIN_FAILED]


def test_password_change_is_logged_only_when_it_happens(customer, signed_in):
    url = reverse("account_change_password")
    signed_in.post(
        url, {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert kinds(customer) == []
    signed_in.post(
        url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert kinds(customer) == [K.PASSWORD_CHANGED]


def test_password_reset_is_logged_as_a_reset_not_a_change(
    customer, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": customer.email})
    assert kinds(customer) == [], "asking for the link changes nothing"
    body = mail.outbox[-1].body
    link = re.search(r"https?://[^/\s]+(/\S*/password/reset/key/\S+/)", body).group(1)
    response = client.get(link)
    form_url = response["Location"] if response.status_code == 302 else link
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert K.PASSWORD_RESET in kinds(customer)
    assert K.PASSWORD_CHANGED not in kinds(customer)


def test_email_change_is_logged_when_the_new_address_is_confirmed(
    customer, signed_in, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("account_email"), {"email": "moved@example.com", "action_add": ""})
    assert kinds(customer) == [], "an address added but not confirmed changes nothing"
    message = next(m for m in mail.outbox if "moved@example.com" in m.to)
    link = re.search(r"https?://[^/\s]+(/\S*/confirm-email/\S+/)", message.body).group(1)
    signed_in.post(link)
    assert EmailAddress.objects.get(user=customer, primary=True).email == "moved@example.com"
    assert kinds(customer) == [K.EMAIL_CHANGED]


def _totp_code(secret):
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.django_db(transaction=True)  # allauth sends MFA signals once committed
def test_mfa_added_codes_regenerated_and_removed_are_logged(customer, signed_in):
    def post(name, data=None):
        signed_in.post(reverse(name), data or {})

    signed_in.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    signed_in.get(reverse("mfa_activate_totp"))
    assert kinds(customer) == [], "opening the page adds nothing"
    secret = signed_in.session[SECRET_SESSION_KEY]
    post("mfa_activate_totp", {"code": "000000"})
    assert kinds(customer) == [], "a wrong code adds nothing"
    post("mfa_activate_totp", {"code": _totp_code(secret)})
    # the app and the recovery codes that come with it
    assert kinds(customer) == [K.MFA_ADDED, K.MFA_ADDED]
    SecurityEvent.objects.all().delete()
    post("mfa_generate_recovery_codes")
    assert kinds(customer) == [K.MFA_RESET]
    SecurityEvent.objects.all().delete()
    post("mfa_deactivate_totp")
    assert K.MFA_REMOVED in kinds(customer)
    assert K.MFA_ADDED not in kinds(customer)


def profile(client, **changes):
    values = {"first_name": "Ada", "last_name": "Lovelace", "phone": "07911 123456", **changes}
    return client.post(reverse("privacy:profile"), values)


def test_saving_the_profile_unchanged_logs_nothing(customer, signed_in):
    profile(signed_in)
    assert kinds(customer) == []


def test_a_name_change_is_logged_as_a_name_change_only(customer, signed_in):
    profile(signed_in, last_name="King")
    assert kinds(customer) == [K.NAME_CHANGED]


def test_a_phone_change_is_logged_as_a_phone_change_only(customer, signed_in):
    profile(signed_in, phone="+33 6 12 34 56 78")
    assert kinds(customer) == [K.PHONE_CHANGED]
    customer.refresh_from_db()
    assert customer.phone == "+33612345678"


def test_a_refused_phone_logs_nothing_and_changes_nothing(customer, signed_in):
    response = profile(signed_in, phone="call me maybe", first_name="Augusta")
    assert response.status_code == 200
    assert kinds(customer) == []
    customer.refresh_from_db()
    assert (customer.first_name, customer.phone) == ("Ada", "+447911123456")


def test_both_changes_at_once_log_both(customer, signed_in):
    profile(signed_in, first_name="Augusta", phone="")
    assert kinds(customer) == sorted([K.NAME_CHANGED, K.PHONE_CHANGED])


def test_the_log_page_shows_profile_changes_in_both_languages(customer, signed_in):
    profile(signed_in, first_name="Augusta")
    assert "Name changed" in signed_in.get("/en/account/security/").text
    assert "Nom modifié" in signed_in.get("/fr/account/security/").text


def test_exports_are_logged_and_reading_the_account_is_not(customer, signed_in):
    signed_in.get(reverse("privacy:account-detail"))
    signed_in.get(reverse("privacy:security-log"))
    assert kinds(customer) == []
    signed_in.get(reverse("privacy:export"))  # reading "My data" is not a download
    assert kinds(customer) == []
    signed_in.get(reverse("privacy:export-download"))
    assert kinds(customer) == [K.EXPORT]


def test_signing_out_is_logged(customer, signed_in):
    signed_in.post(reverse("account_logout"))
    assert kinds(customer) == [K.LOGOUT]
