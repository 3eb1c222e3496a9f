"""Closing an account: erased at once, a receipt that proves it, a second time refused."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from privacy.disclosures import disclosure_record
from privacy.models import ConsentRecord, Disclosure, ErasureReceipt, SecurityEvent, User
from privacy.rights.erasure import AccountAlreadyClosed, account_close
from privacy.tests.factories import (
    PASSWORD,
    ConsentRecordFactory,
    SecurityEventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _customer(**kwargs):
    user = UserFactory(**kwargs)
    ConsentRecordFactory(user=user)
    SecurityEventFactory(user=user)
    disclosure_record(
        user=user, processor="reviews", purpose="review-invitations", fields=["email"]
    )
    return user


def _login(client, user):
    """Sign in, then confirm the password again (allauth's explicit reauthentication)."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_closing_erases_the_account_and_everything_it_held(django_capture_on_commit_callbacks):
    user = _customer(email="gone@example.com")
    other = _customer(email="stays@example.com")
    user.first_name = "Renamed"
    user.save()  # a history row with the name
    with django_capture_on_commit_callbacks(execute=True):
        result = account_close(user=user)
    assert not User.objects.filter(pk=user.pk).exists()
    assert not User.history.filter(id=user.pk).exists()
    assert not EmailAddress.objects.filter(email="gone@example.com").exists()
    with_user = {"user_id": user.pk}
    for model in (ConsentRecord, Disclosure, SecurityEvent):
        assert not model.objects.filter(**with_user).exists()
    assert ConsentRecord.objects.filter(user=other).count() == 1
    assert result.receipt.pk == ErasureReceipt.objects.get().pk
    assert "gone@example.com" not in str(result.receipt.outcomes)
    (message,) = mail.outbox
    assert message.to == ["gone@example.com"]
    assert result.code in message.body


def test_the_verification_code_finds_the_receipt_and_only_its_hash_is_stored(staff_client):
    result = account_close(user=_customer())
    url = reverse("admin:privacy_erasurereceipt_changelist")
    fingerprint = result.receipt.code_hash[:12]
    found = staff_client.get(url, {"q": result.code.lower()}).content.decode()
    assert fingerprint in found
    assert result.code not in result.receipt.code_hash
    missed = staff_client.get(url, {"q": "0000-0000-0000-0000"}).content.decode()
    assert fingerprint not in missed


def test_history_user_references_and_admin_log_are_cleared():
    user = _customer(email="staffer@example.com", is_staff=True)
    customer = _customer()
    customer._history_user = user
    customer.last_name = "Changed by staff"
    customer.save()
    LogEntry.objects.create(
        user=customer,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr="staffer@example.com",
        action_flag=CHANGE,
    )
    account_close(user=user)
    assert not User.history.filter(history_user_id=user.pk).exists()
    assert not LogEntry.objects.filter(object_repr__icontains="staffer@example.com").exists()


def test_closing_twice_is_refused_and_changes_nothing():
    user = _customer()
    account_close(user=user)
    with pytest.raises(AccountAlreadyClosed):
        account_close(user=user)
    assert ErasureReceipt.objects.count() == 1


def test_the_same_address_can_sign_up_again(client, django_capture_on_commit_callbacks):
    user = _customer(email="again@example.com")
    account_close(user=user)
    response = client.post(
        reverse("account_signup"),
        {"email": "again@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="again@example.com").count() == 1


def test_closing_from_the_dashboard_asks_to_reauthenticate(client):
    user = _customer()
    client.force_login(user)  # no recent authentication on record
    response = client.post(reverse("privacy:account-close"), {"confirm": "on"})
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert User.objects.filter(pk=user.pk).exists()


def test_closing_needs_the_confirmation_box(client):
    user = _customer()
    _login(client, user)
    response = client.post(reverse("privacy:account-close"), {})
    assert response.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()


def test_closing_shows_the_receipt_in_french_and_signs_out(
    client, django_capture_on_commit_callbacks
):
    user = _customer(language="fr")
    _login(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/account/close/", {"confirm": "on"}, follow=True)
    html = response.content.decode()
    assert "Votre compte est fermé" in html
    assert "supprimé" in html
    assert "_auth_user_id" not in client.session
    assert mail.outbox[-1].subject.startswith("Votre compte Offtek est fermé")


def test_a_second_submission_from_a_stale_tab_is_told_nothing_more_was_done(client):
    user = _customer()
    _login(client, user)
    other_tab = client.cookies.get("sessionid").value
    account_close(user=user)  # the first tab already closed it
    client.cookies["sessionid"] = other_tab
    response = client.post(reverse("privacy:account-close"), {"confirm": "on"}, follow=True)
    assert ErasureReceipt.objects.count() == 1
    assert response.status_code == 200


def test_staff_find_a_receipt_by_code_in_the_admin(staff_client):
    result = account_close(user=_customer())
    response = staff_client.get(
        reverse("admin:privacy_erasurereceipt_changelist"), {"q": result.code}
    )
    assert response.status_code == 200
    assert result.receipt.code_hash[:12].encode() in response.content
    missing = staff_client.get(reverse("admin:privacy_erasurereceipt_changelist"), {"q": "nope"})
    assert result.receipt.code_hash[:12].encode() not in missing.content


def test_the_receipt_says_sent_emails_stay_only_in_the_sending_queue_for_a_week():
    from privacy.rights.receipts import receipt_lines

    result = account_close(user=UserFactory())
    line = next(
        line for line in receipt_lines(receipt=result.receipt) if "sending queue" in str(line.title)
    )
    assert str(line.title).startswith("E-mails we sent you")
    assert str(line.reason) == "E-mails in our sending queue, sent or waiting: 7 days from sending"
