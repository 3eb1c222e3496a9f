"""A Privacy Officer (or any staff member who is not a superuser) cannot make anyone a
superuser or staff, change groups or permissions, or set anyone's password: tried
through the admin with forged form fields, as an attacker would."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from privacy.accounts.roles import PRIVACY_OFFICER, SHOP_STAFF
from privacy.models import User
from privacy.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "attacker-chosen-pw-9081"


def staff_member(group_name=None, *, superuser=False):
    user = UserFactory(is_staff=True, is_superuser=superuser)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def forged_change(user, **extra):
    """Everything the change form could carry, with the privileged fields forged."""
    data = {
        "email": user.email,
        "language": "en",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [g.pk for g in Group.objects.all()],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "_save": "Save",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("group_name", [PRIVACY_OFFICER, SHOP_STAFF, None])
def test_staff_cannot_make_themselves_superuser(group_name):
    officer = staff_member(group_name)
    client = signed_in(officer)
    url = reverse("admin:privacy_user_change", args=[officer.pk])
    client.post(url, forged_change(officer))
    officer.refresh_from_db()
    assert not officer.is_superuser
    assert set(officer.groups.values_list("name", flat=True)) == (
        {group_name} if group_name else set()
    )


@pytest.mark.parametrize("group_name", [PRIVACY_OFFICER, SHOP_STAFF, None])
def test_staff_cannot_make_a_customer_staff_or_superuser(group_name):
    client = signed_in(staff_member(group_name))
    victim = UserFactory()
    client.post(reverse("admin:privacy_user_change", args=[victim.pk]), forged_change(victim))
    victim.refresh_from_db()
    assert not victim.is_staff and not victim.is_superuser
    assert not victim.groups.exists()


@pytest.mark.parametrize("group_name", [PRIVACY_OFFICER, SHOP_STAFF, None])
def test_staff_cannot_set_another_users_password(group_name):
    client = signed_in(staff_member(group_name))
    victim = UserFactory()
    url = reverse("admin:auth_user_password_change", args=[victim.pk])
    assert client.get(url).status_code in (302, 403)
    response = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code in (302, 403)
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)
    assert not victim.check_password(NEW_PASSWORD)
    assert not Client().login(email=victim.email, password=NEW_PASSWORD)


def test_staff_cannot_add_a_user_with_a_password():
    client = signed_in(staff_member(PRIVACY_OFFICER))
    client.post(
        reverse("admin:privacy_user_add"),
        {"email": "planted@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert not User.objects.filter(email="planted@example.com").exists()


def test_a_superuser_still_grants_privileges_and_sets_passwords():
    client = signed_in(staff_member(superuser=True))
    colleague = UserFactory()
    client.post(
        reverse("admin:privacy_user_change", args=[colleague.pk]),
        forged_change(colleague, is_superuser=""),
    )
    colleague.refresh_from_db()
    assert colleague.is_staff and not colleague.is_superuser
    assert colleague.groups.count() == Group.objects.count()
    client.post(
        reverse("admin:auth_user_password_change", args=[colleague.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    colleague.refresh_from_db()
    assert colleague.check_password(NEW_PASSWORD)


def test_the_privacy_officer_still_sees_a_customers_record_and_it_is_logged():
    officer = staff_member(PRIVACY_OFFICER)
    customer = UserFactory(first_name="Grace")
    response = signed_in(officer).get(reverse("admin:privacy_user_change", args=[customer.pk]))
    assert response.status_code == 200
    assert "Grace" in response.content.decode()
    assert 'name="is_superuser"' not in response.content.decode()
    assert customer.security_events.filter(kind="staff-view", actor=officer).exists()
