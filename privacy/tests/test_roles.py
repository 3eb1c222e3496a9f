"""Least privilege for the two staff roles (groups granted after migrate)."""

import pytest
from django.contrib.auth.models import Group

from privacy.accounts.roles import PRIVACY_OFFICER, SHOP_STAFF
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def member_of(group_name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def test_shop_staff_run_the_shop_but_never_see_privacy_ledgers():
    staff = member_of(SHOP_STAFF)
    assert staff.has_perm("shop.change_module")
    assert staff.has_perm("shop.view_system")
    for codename in ("view_consentrecord", "view_securityevent", "view_user", "change_user"):
        assert not staff.has_perm(f"privacy.{codename}")


def test_the_privacy_officer_reads_the_ledgers_but_cannot_change_prices():
    officer = member_of(PRIVACY_OFFICER)
    assert officer.has_perm("privacy.view_consentrecord")
    assert officer.has_perm("privacy.view_securityevent")
    assert officer.has_perm("privacy.view_user")
    assert officer.has_perm("shop.view_module")
    assert not officer.has_perm("shop.change_module")
    assert not officer.has_perm("privacy.delete_consentrecord")
