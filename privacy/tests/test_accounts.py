"""Accounts: sign-up, verification, login limits, password and e-mail changes, MFA."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from privacy.models import User
from privacy.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

NEW_PASSWORD = "another-long-passphrase-77"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def login(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def is_signed_in(client):
    return SESSION_KEY in client.session


def confirmation_link(message):
    match = re.search(r"https?://[^/\s]+(/\S*/confirm-email/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_verify_login_logout(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "New.Customer@Example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.customer@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    assert not is_signed_in(client), "verification is mandatory before the first login"

    # Signing in before verifying sends the customer back to verification.
    response = login(client, "new.customer@example.com", PASSWORD)
    assert not is_signed_in(client)

    link = confirmation_link(mail.outbox[0])
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert is_signed_in(client)

    client.post(reverse("account_logout"))
    assert not is_signed_in(client)

    response = login(client, "new.customer@example.com", PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)
    assert client.get(reverse("privacy:account-detail")).status_code == 200


def test_signup_rejects_short_and_common_passwords(client):
    for weak in ("short1", "password123"):
        response = client.post(
            reverse("account_signup"),
            {"email": "weak@example.com", "password1": weak, "password2": weak},
        )
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not User.objects.filter(email="weak@example.com").exists()


def test_signup_stores_the_language_of_the_page(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fr/accounts/signup/",
            {"email": "client@example.fr", "password1": PASSWORD, "password2": PASSWORD},
        )
    user = User.objects.get(email="client@example.fr")
    assert user.language == "fr"
    assert "Confirmez votre adresse e-mail" in mail.outbox[0].subject


def test_sixth_wrong_password_locks_the_account_even_for_the_right_one(client):
    user = UserFactory()
    for _ in range(5):
        response = login(client, user.email, "wrong-password")
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.text
    response = login(client, user.email, "wrong-password")
    assert "Too many failed login attempts" in response.text

    response = login(client, user.email, PASSWORD)
    assert "Too many failed login attempts" in response.text
    assert not is_signed_in(client)


def test_admin_has_no_login_of_its_own(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    response = client.get("/en/admin/login/?next=/en/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    response = client.post(
        "/en/admin/login/?next=/en/admin/", {"username": staff.email, "password": PASSWORD}
    )
    assert not is_signed_in(client), "the admin form must not bypass allauth's limits"


def test_admin_login_is_rate_limited(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(6):
        login(client, staff.email, "wrong-password", next="/en/admin/")
    response = login(client, staff.email, PASSWORD, next="/en/admin/")
    assert "Too many failed login attempts" in response.text
    assert not is_signed_in(client)


def test_staff_without_mfa_cannot_reach_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/en/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/en/admin/shop/module/").status_code == 302


def test_staff_with_mfa_reach_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    response = client.get("/en/admin/")
    assert response.status_code == 200
    assert "Shop administration" in response.text


def test_customers_never_reach_the_admin(client):
    customer = UserFactory()
    client.force_login(customer)
    assert client.get("/en/admin/").status_code in (302, 403)
    assert client.get("/en/admin/login/").status_code == 403


def current_totp(secret):
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_totp_activation_and_login_with_a_code(client):
    user = UserFactory()
    login(client, user.email, PASSWORD)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    client.post(reverse("account_logout"))
    response = login(client, user.email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client), "a password alone is not enough once MFA is on"
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert not is_signed_in(client)
    client.post(reverse("mfa_authenticate"), {"code": current_totp(secret)})
    assert is_signed_in(client)


def test_a_recovery_code_works_once(client):
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    code = RecoveryCodes.activate(user).get_unused_codes()[0]

    login(client, user.email, PASSWORD)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert is_signed_in(client)

    client.post(reverse("account_logout"))
    login(client, user.email, PASSWORD)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert not is_signed_in(client), "a used recovery code must not work twice"


def test_password_change_ends_every_other_session(client):
    user = UserFactory()
    other_device = Client()
    login(client, user.email, PASSWORD)
    login(other_device, user.email, PASSWORD)
    assert other_device.get(reverse("privacy:account-detail")).status_code == 200

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("privacy:account-detail")).status_code == 200
    assert other_device.get(reverse("privacy:account-detail")).status_code == 302


def test_email_change_needs_verification_of_the_new_address(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    login(client, user.email, PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"email": "moved@example.com", "action_add": ""})
    new = EmailAddress.objects.get(user=user, email="moved@example.com")
    assert not new.verified
    assert any("moved@example.com" in message.to for message in mail.outbox)


def test_password_reset_sends_a_link_and_sets_the_new_password(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    body = mail.outbox[-1].body
    link = re.search(r"https?://[^/\s]+(/\S*/password/reset/key/\S+/)", body).group(1)
    response = client.get(link)
    form_url = response["Location"] if response.status_code == 302 else link
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
