"""The Privacy Officer contact form: verification, reference, deadlines, abuse limits."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from privacy.calendar import months_after
from privacy.lifecycle import IllegalTransition, lifecycle_move
from privacy.models import PrivacyRequest, PrivacyRequestStatus
from privacy.rights.requests import (
    PRIVACY_REQUEST_LIFECYCLE,
    RequestAnswerRefused,
    RequestExtensionRefused,
    privacy_request_close,
    privacy_request_extend,
    privacy_request_staff_update,
    privacy_request_submit,
)
from privacy.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

FORM = {"kind": "access", "name": "Ada", "message": "Please send me my data."}


@pytest.fixture(autouse=True)
def clean_cache(settings):
    settings.SITE_URL = "https://shop.test"
    cache.clear()
    yield
    cache.clear()


def _verify_path(message):
    url = next(word for word in message.body.split() if "/privacy/contact/confirm/" in word)
    return url.removeprefix("https://shop.test")


@time_machine.travel(datetime.datetime(2026, 1, 31, 10, tzinfo=datetime.UTC), tick=False)
def test_signed_in_request_counts_at_once_with_a_reference_and_a_due_date(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:contact"), FORM)
    request = PrivacyRequest.objects.get()
    assert request.reference in response.content.decode()
    assert (request.status, request.user, request.email) == ("open", user, "ada@example.com")
    assert request.due_date == datetime.date(2026, 2, 28)
    (ack,) = mail.outbox
    assert ack.to == ["ada@example.com"] and request.reference in ack.subject


def test_anonymous_request_counts_only_after_the_signed_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:contact"), {**FORM, "email": "anon@example.com"})
    request = PrivacyRequest.objects.get()
    assert (request.status, request.due_date) == (PrivacyRequestStatus.UNVERIFIED, None)
    (verify,) = mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_verify_path(verify))
    request.refresh_from_db()
    assert request.status == PrivacyRequestStatus.OPEN and request.due_date
    assert len(mail.outbox) == 2
    response = client.get(_verify_path(verify), follow=True)
    assert b"already confirmed" in response.content
    assert len(mail.outbox) == 2


def test_a_forged_link_opens_nothing(client):
    client.post(reverse("privacy:contact"), {**FORM, "email": "anon@example.com"})
    response = client.get(
        reverse("privacy:contact-verify", kwargs={"token": "MQ:forged:signature"}), follow=True
    )
    assert b"not valid" in response.content
    assert PrivacyRequest.objects.get().status == PrivacyRequestStatus.UNVERIFIED


def test_the_message_is_encrypted_at_rest():
    privacy_request_submit(kind="question", email="q@example.com", message="secret", language="en")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT message, email FROM privacy_privacyrequest")
        message, email = cursor.fetchone()
    assert b"secret" not in bytes(message) and b"q@example.com" not in bytes(email)


def test_requests_are_rate_limited_per_email_and_per_ip(client):
    spam = {**FORM, "email": "spam@example.com"}
    for n in range(3):
        client.post(reverse("privacy:contact"), {**spam, "message": f"Spam {n}"})
    response = client.post(reverse("privacy:contact"), {**spam, "message": "Spam 4"})
    assert response.status_code == 429
    assert PrivacyRequest.objects.count() == 3
    for n in range(3):
        client.post(reverse("privacy:contact"), {**FORM, "email": f"other{n}@example.com"})
    # Five attempts an hour per IP, refused ones included: the fifth passes, no more.
    assert PrivacyRequest.objects.count() == 4


def test_extension_adds_two_months_once_with_a_reason():
    user = UserFactory()
    request = privacy_request_submit(kind="access", email="", message="m", language="en", user=user)
    with pytest.raises(RequestExtensionRefused):
        privacy_request_extend(privacy_request=request, reason=" ")
    extended = privacy_request_extend(privacy_request=request, reason="Many systems to search")
    assert extended.due_date == months_after(request.due_date, 2)
    with pytest.raises(RequestExtensionRefused):
        privacy_request_extend(privacy_request=extended, reason="again")
    assert extended.history.count() == 2


def test_months_after_keeps_to_the_month_end():
    assert months_after(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert months_after(datetime.date(2026, 11, 30), 2) == datetime.date(2027, 1, 30)


def test_admin_lists_overdue_requests(staff_client):
    user = UserFactory()
    submit = dict(email="", message="m", language="en", user=user)
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)):
        late = privacy_request_submit(kind="access", **submit)
    fresh = privacy_request_submit(kind="erasure", **submit)
    url = reverse("admin:privacy_privacyrequest_changelist")
    html = staff_client.get(url, {"deadline": "overdue"}).content.decode()
    assert late.reference in html and fresh.reference not in html


def test_the_contact_page_shows_the_ico_route_in_french(client):
    html = client.get("/fr/privacy/contact/").content.decode()
    assert "ico.org.uk" in html
    assert "Envoyer ma demande" in html


def test_staff_extend_a_deadline_in_the_admin_with_a_reason_once(staff_client):
    user = UserFactory()
    request = privacy_request_submit(kind="access", email="", message="m", language="en", user=user)
    url = reverse("admin:privacy_privacyrequest_change", args=[request.pk])
    form = {"assigned_to": staff_client.staff.pk, "notes": "", "response": ""}
    staff_client.post(url, {**form, "extended_reason": "Archive search"})
    request.refresh_from_db()
    first_due = request.due_date
    assert request.extended_reason == "Archive search"
    assert request.assigned_to == staff_client.staff
    staff_client.post(url, {**form, "extended_reason": "Again"})
    request.refresh_from_db()
    assert (request.due_date, request.extended_reason) == (first_due, "Archive search")
    staff_client.post(url, {**form, "extended_reason": "Archive search", "response": "Done."})
    request.refresh_from_db()
    assert request.status == PrivacyRequestStatus.ANSWERED


def test_a_double_submission_is_one_request_with_one_reference(
    client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("privacy:contact"), FORM)
        second = client.post(reverse("privacy:contact"), FORM)
    request = PrivacyRequest.objects.get()
    assert request.reference in first.content.decode()
    assert request.reference in second.content.decode()
    assert len(mail.outbox) == 1


def _unverified_request():
    return privacy_request_submit(
        kind="access", email="someone@example.com", message="m", language="en"
    )


@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("en", "Only a confirmed, open request can have its deadline extended."),
        ("fr", "Seule une demande confirmée et ouverte peut voir son délai prolongé."),
    ],
)
def test_an_extension_typed_on_an_unverified_request_is_an_error_and_changes_nothing(
    staff_client, language, error
):
    """It was a 500 (RequestExtensionRefused uncaught in the admin)."""
    request = _unverified_request()
    history = request.history.count()
    url = reverse("admin:privacy_privacyrequest_change", args=[request.pk])
    url = url.replace("/en/", f"/{language}/")
    form = {"assigned_to": staff_client.staff.pk, "notes": "n", "response": ""}
    response = staff_client.post(url, {**form, "extended_reason": "Archive search"})
    assert response.status_code == 200
    assert error in response.content.decode()
    request.refresh_from_db()
    assert request.status == PrivacyRequestStatus.UNVERIFIED
    assert (request.due_date, request.extended_reason) == (None, "")
    assert (request.assigned_to, request.notes) == (None, "")
    assert request.history.count() == history


def test_a_second_extension_in_the_admin_is_an_error(staff_client):
    request = privacy_request_submit(
        kind="access", email="", message="m", language="en", user=UserFactory()
    )
    request = privacy_request_extend(privacy_request=request, reason="Archive search")
    url = reverse("admin:privacy_privacyrequest_change", args=[request.pk])
    form = {"assigned_to": "", "notes": "", "response": ""}
    response = staff_client.post(url, {**form, "extended_reason": "Again"})
    assert response.status_code == 200
    assert "A deadline is extended only once." in response.content.decode()
    response = staff_client.post(url, {**form, "extended_reason": " "})
    assert "An extension needs a reason." in response.content.decode()
    assert PrivacyRequest.objects.get().extended_reason == "Archive search"


def test_a_response_to_an_unverified_or_closed_request_is_refused(staff_client):
    request = _unverified_request()
    url = reverse("admin:privacy_privacyrequest_change", args=[request.pk])
    form = {"assigned_to": "", "notes": "", "extended_reason": "", "response": "Here it is."}
    response = staff_client.post(url, form)
    assert "Only a confirmed request that is not closed can be answered." in (
        response.content.decode()
    )
    request.refresh_from_db()
    assert (request.status, request.response) == (PrivacyRequestStatus.UNVERIFIED, "")
    privacy_request_close(privacy_request=request)
    staff_client.post(url, form)
    request.refresh_from_db()
    assert (request.status, request.response) == (PrivacyRequestStatus.CLOSED, "")
    with pytest.raises(RequestAnswerRefused):
        privacy_request_staff_update(privacy_request=request, response="Here it is.")


def test_status_moves_only_along_the_lifecycle_table():
    request = _unverified_request()
    with pytest.raises(IllegalTransition):
        lifecycle_move(
            lifecycle=PRIVACY_REQUEST_LIFECYCLE, row=request, to=PrivacyRequestStatus.ANSWERED
        )
    closed = privacy_request_close(privacy_request=request)
    assert closed.status == PrivacyRequestStatus.CLOSED and closed.closed_at is not None
    stamp = closed.closed_at
    assert privacy_request_close(privacy_request=closed).closed_at == stamp  # idempotent
    assert not PRIVACY_REQUEST_LIFECYCLE.allows(PrivacyRequestStatus.CLOSED, "open")


def test_answering_in_the_admin_moves_the_request_once_with_history(staff_client):
    request = privacy_request_submit(
        kind="access", email="", message="m", language="en", user=UserFactory()
    )
    url = reverse("admin:privacy_privacyrequest_change", args=[request.pk])
    form = {"assigned_to": "", "notes": "", "extended_reason": "", "response": "Done."}
    staff_client.post(url, form)
    request.refresh_from_db()
    assert (request.status, request.response) == (PrivacyRequestStatus.ANSWERED, "Done.")
    reasons = list(request.history.values_list("history_change_reason", flat=True))
    assert "response recorded" in reasons
