import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_changed, password_changed
from allauth.mfa.signals import authenticator_added
from django.test import Client
from django.urls import reverse

from privacy.accounts.services import ip_network_part, security_event_record
from privacy.models import SecurityEvent, SecurityEventKind
from privacy.tests.factories import PASSWORD, SecurityEventFactory, UserFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 SecurityLogTest"


def test_signing_in_and_out_is_logged_with_ip_and_browser():
    user = UserFactory()
    client = Client(headers={"user-agent": BROWSER}, REMOTE_ADDR="192.0.2.10")
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_logout"))
    events = list(SecurityEvent.objects.filter(user=user).order_by("created_at", "id"))
    assert [event.kind for event in events] == [SecurityEventKind.LOGIN, SecurityEventKind.LOGOUT]
    assert events[0].ip_address == "192.0.2.10"
    assert events[0].user_agent == BROWSER


@pytest.mark.parametrize(("proxies", "logged"), [(1, "203.0.113.9"), (0, "192.0.2.10")])
def test_behind_our_proxy_the_log_has_the_customers_address(settings, proxies, logged):
    """With DJANGO_TRUSTED_PROXY_COUNT=1 the address is the proxy's last X-Forwarded-For
    entry; without it the header, which anyone can send, is ignored."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    user = UserFactory()
    client = Client(REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert SecurityEvent.objects.get(user=user, kind=SecurityEventKind.LOGIN).ip_address == logged


def test_a_failed_sign_in_keeps_the_typed_email_encrypted(client):
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password"})
    client.post(reverse("account_login"), {"login": "nobody@example.com", "password": "x"})
    failures = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED)
    assert {(event.user_id, event.attempted_email) for event in failures} == {
        (user.pk, user.email),
        (None, "nobody@example.com"),
    }


def test_account_changes_from_allauth_signals_are_logged(rf):
    user = UserFactory()
    request = rf.post("/", REMOTE_ADDR="192.0.2.11")
    password_changed.send(sender=type(user), request=request, user=user)
    email_changed.send(
        sender=type(user),
        request=request,
        user=user,
        from_email_address=EmailAddress(email=user.email),
        to_email_address=EmailAddress(email="moved@example.com"),
    )
    # A first address confirmed at sign-up is no change (allauth sends the signal anyway)
    email_changed.send(
        sender=type(user),
        request=request,
        user=user,
        from_email_address=None,
        to_email_address=EmailAddress(email=user.email),
    )

    class Totp:
        type = "totp"

    authenticator_added.send(sender=type(user), request=request, user=user, authenticator=Totp())
    kinds = set(SecurityEvent.objects.filter(user=user).values_list("kind", "detail"))
    assert kinds == {
        (SecurityEventKind.PASSWORD_CHANGED, ""),
        (SecurityEventKind.EMAIL_CHANGED, ""),
        (SecurityEventKind.MFA_ADDED, "totp"),
    }


def test_other_code_records_events_through_the_service():
    user = UserFactory()
    event = security_event_record(kind=SecurityEventKind.EXPORT, user=user)
    assert event.user == user and event.ip_address == ""


def test_customers_see_their_own_log_only(client, django_assert_max_num_queries):
    me, other = UserFactory(), UserFactory()
    SecurityEventFactory(user=me, user_agent="MyOwnBrowser/1")
    SecurityEventFactory(user=other, user_agent="SomeoneElsesBrowser/1")
    client.force_login(me)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("privacy:security-log")).content.decode()
    assert "MyOwnBrowser/1" in html
    assert "SomeoneElsesBrowser/1" not in html


def test_ip_network_part():
    assert ip_network_part("203.0.113.77") == "203.0.113.0"
    assert ip_network_part("2001:db8:1234:5678::1") == "2001:db8:1234::"
    assert ip_network_part("not an ip") == ""


def _staff_with_mfa():
    from allauth.mfa.models import Authenticator

    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return staff


def test_staff_opening_a_customer_in_the_admin_is_logged(client):
    staff, customer = _staff_with_mfa(), UserFactory(first_name="Grace")
    client.force_login(staff)
    response = client.get(reverse("admin:privacy_user_change", args=[customer.pk]))
    assert response.status_code == 200
    assert "Grace" in response.content.decode()
    event = SecurityEvent.objects.get(user=customer, kind=SecurityEventKind.STAFF_VIEW)
    assert event.actor == staff


def test_the_security_log_is_read_only_in_the_admin(client):
    staff = _staff_with_mfa()
    event = SecurityEventFactory()
    client.force_login(staff)
    assert client.get(reverse("admin:privacy_securityevent_changelist")).status_code == 200
    assert client.get(reverse("admin:privacy_securityevent_add")).status_code == 403
    client.post(reverse("admin:privacy_securityevent_delete", args=[event.pk]), {"post": "yes"})
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def _security_log_retention() -> dict[str, int]:
    """Run the security log's two retention rules, as `manage.py retention` does."""
    from privacy.retention.engine import retention_run

    _, reports = retention_run(apply=True, rules=["security-log", "security-log-ip"])
    done = {report.rule: report.done for report in reports}
    return {"deleted": done["security-log"], "shortened": done["security-log-ip"]}


def test_retention_shortens_ips_after_30_days_and_deletes_after_12_months():
    import datetime

    import time_machine

    start = datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(start):
        old = SecurityEventFactory(ip_address="203.0.113.77")
    with time_machine.travel(start + datetime.timedelta(days=29)):
        assert _security_log_retention() == {"deleted": 0, "shortened": 0}
    with time_machine.travel(start + datetime.timedelta(days=31)):
        recent = SecurityEventFactory(ip_address="198.51.100.9")
        assert _security_log_retention() == {"deleted": 0, "shortened": 1}
        assert _security_log_retention() == {"deleted": 0, "shortened": 0}  # idempotent
    old.refresh_from_db()
    assert (old.ip_address, old.ip_shortened) == ("203.0.113.0", True)
    with time_machine.travel(start + datetime.timedelta(days=366)):
        assert _security_log_retention() == {"deleted": 1, "shortened": 1}
    assert list(SecurityEvent.objects.all()) == [recent]


def test_staff_opening_a_customers_history_is_logged(client):
    staff, customer = _staff_with_mfa(), UserFactory()
    client.force_login(staff)
    response = client.get(reverse("admin:privacy_user_history", args=[customer.pk]))
    assert response.status_code == 200
    event = SecurityEvent.objects.get(user=customer, kind=SecurityEventKind.STAFF_VIEW)
    assert (event.actor, event.detail) == (staff, "history")
