"""The register of personal data breaches: recorded by the Privacy Officer in the
admin, its 72-hour deadline, each step through HTTP, refusals that change nothing."""

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.utils import timezone

from privacy.accounts.roles import PRIVACY_OFFICER, SHOP_STAFF
from privacy.models import BreachCustomerDecision, BreachStatus, PersonalDataBreach
from privacy.records import breaches
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/{lang}/admin/privacy/personaldatabreach/add/"
LIST = "/en/admin/privacy/personaldatabreach/"
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def staff_in(client, group_name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    return user


def step_url(breach, step):
    return f"/en/admin/privacy/personaldatabreach/{breach.pk}/step/{step}/"


def breach_new(**overrides):
    fields = {
        "summary": "Laptop with an order export left on a train",
        "categories": ["contact", "transaction"],
        "subject_kinds": ["customer"],
        "subjects_affected": 120,
        "found_at": NOW,
    }
    return PersonalDataBreach.objects.create(**(fields | overrides))


def add_form(**overrides):
    data = {
        "summary": "Mailing sent with every address in the To field",
        "description": "",
        "categories": ["contact"],
        "subject_kinds": ["customer"],
        "subjects_affected": "300",
        "occurred_at": "",
        "found_at_0": "2026-12-01",
        "found_at_1": "08:30:00",
        "consequences": "",
        "measures": "",
    }
    return data | overrides


@time_machine.travel(NOW, tick=False)
def test_the_privacy_officer_records_a_breach_with_its_72_hour_deadline(client):
    staff_in(client, PRIVACY_OFFICER)
    response = client.post(ADD.format(lang="en"), add_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    breach = PersonalDataBreach.objects.get()
    assert breach.reference.startswith("BR-2026-")
    assert breach.status == BreachStatus.OPEN
    assert breach.categories == ["contact"]
    assert breaches.breach_report_due(breach) == breach.found_at + datetime.timedelta(hours=72)
    assert breach.history.count() == 1
    page = client.get(LIST).content.decode()
    assert breach.reference in page


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"found_at_0": "2026-12-02"}, "A breach cannot be found in the future."),
        ({"occurred_at_0": "2026-12-01", "occurred_at_1": "10:00:00"}, "after it was found"),
        ({"categories": ["telepathy"]}, "Select a valid choice"),
        ({"summary": ""}, "This field is required"),
    ],
)
def test_a_bad_breach_record_is_refused_and_writes_nothing(client, overrides, error):
    staff_in(client, PRIVACY_OFFICER)
    response = client.post(ADD.format(lang="en"), add_form(**overrides))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not PersonalDataBreach.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_add_form_is_in_french(client):
    staff_in(client, PRIVACY_OFFICER)
    page = client.get(ADD.format(lang="fr")).content.decode()
    assert "Décrivez l’incident" in page
    assert "personnes concernées" in page.lower()


def test_overdue_only_once_72_hours_pass_without_a_decision(client):
    staff_in(client, PRIVACY_OFFICER)
    breach = breach_new()
    with time_machine.travel(NOW + datetime.timedelta(hours=71)):
        assert not breaches.breach_is_overdue(breach)
        assert breach.reference not in client.get(LIST + "?deadline=overdue").content.decode()
    with time_machine.travel(NOW + datetime.timedelta(hours=73)):
        assert breaches.breach_is_overdue(breach)
        page = client.get(LIST + "?deadline=overdue").content.decode()
        assert breach.reference in page
        assert "(overdue)" in page
        breaches.breach_not_reportable(breach=breach, reason="Encrypted disk, key not lost.")
        assert not breaches.breach_is_overdue(breach)


@time_machine.travel(NOW + datetime.timedelta(hours=30), tick=False)
def test_the_whole_handling_through_the_admin_with_history(client):
    staff_in(client, PRIVACY_OFFICER)
    breach = breach_new()
    response = client.post(
        step_url(breach, "report"),
        {"reported_at": "2026-12-02T10:00", "authority_reference": "ICO-123456"},
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.status == BreachStatus.REPORTED
    assert breach.authority_reference == "ICO-123456"
    client.post(
        step_url(breach, "customers"),
        {"decision": "tell", "reason": "Addresses exposed.", "told_at": "2026-12-02T12:00"},
    )
    assert client.post(step_url(breach, "close")).status_code == 302
    breach.refresh_from_db()
    assert breach.status == BreachStatus.CLOSED
    assert breach.closed_at == timezone.now()
    assert breach.customer_decision == BreachCustomerDecision.TELL
    assert [h.status for h in breach.history.order_by("history_date")] == [
        "open",
        "reported",
        "reported",
        "closed",
    ]


@time_machine.travel(NOW + datetime.timedelta(hours=30), tick=False)
@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("report", {"reported_at": "2026-12-09T10:00", "authority_reference": "X"}, "future"),
        ("report", {"reported_at": "2026-11-30T10:00", "authority_reference": "X"}, "before"),
        ("report", {"reported_at": "2026-12-02T10:00", "authority_reference": ""}, "required"),
        ("not-reportable", {"reason": "   "}, "This field is required"),
        ("customers", {"decision": "maybe", "reason": "x"}, "Select a valid choice"),
        (
            "customers",
            {"decision": "no-need", "reason": "x", "told_at": "2026-12-02T10:00"},
            "only with a decision to tell",
        ),
        ("close", {}, "This step is not possible while the breach is"),
    ],
)
def test_each_refused_step_says_why_and_changes_nothing(client, step, data, message):
    staff_in(client, PRIVACY_OFFICER)
    breach = breach_new()
    response = client.post(step_url(breach, step), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN
    assert breach.customer_decision == BreachCustomerDecision.UNDECIDED
    assert breach.history.count() == 1


@time_machine.travel(NOW + datetime.timedelta(hours=30), tick=False)
def test_an_illegal_move_is_a_translated_message_not_a_500(client):
    staff_in(client, PRIVACY_OFFICER)
    breach = breach_new()
    breaches.breach_not_reportable(breach=breach, reason="No risk.")
    client.post(step_url(breach, "customers"), {"decision": "no-need", "reason": "No risk."})
    client.post(step_url(breach, "close"))
    response = client.post(
        step_url(breach, "not-reportable").replace("/en/", "/fr/"),
        {"reason": "again"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Cette étape n’est pas possible" in response.content.decode()
    breach.refresh_from_db()
    assert breach.status == BreachStatus.CLOSED


def test_an_unknown_step_is_refused(client):
    staff_in(client, PRIVACY_OFFICER)
    breach = breach_new()
    assert client.post(step_url(breach, "erase")).status_code == 403


def test_shop_staff_can_neither_see_nor_act_on_the_register(client):
    staff_in(client, SHOP_STAFF)
    breach = breach_new()
    assert client.get(LIST).status_code == 403
    assert client.post(step_url(breach, "not-reportable"), {"reason": "x"}).status_code == 403
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN


def test_nobody_deletes_an_entry(client):
    staff_in(client, PRIVACY_OFFICER)
    breach = breach_new()
    response = client.post(
        f"/en/admin/privacy/personaldatabreach/{breach.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert PersonalDataBreach.objects.filter(pk=breach.pk).exists()


@time_machine.travel(NOW + datetime.timedelta(hours=30), tick=False)
def test_a_breach_closes_only_once_telling_people_is_decided_and_done(client):
    staff_in(client, PRIVACY_OFFICER)
    breach = breach_new()
    breaches.breach_report(breach=breach, reported_at=NOW, authority_reference="ICO-1")
    page = client.post(step_url(breach, "close"), follow=True).content.decode()
    assert "Decide whether to tell the people affected before closing." in page
    breaches.breach_customers_decide(breach=breach, decision="tell", reason="Exposed.")
    page = client.post(step_url(breach, "close"), follow=True).content.decode()
    assert "Record when the people affected were told before closing." in page
    breach.refresh_from_db()
    assert breach.status == BreachStatus.REPORTED
    with pytest.raises(breaches.BreachRefused):
        breaches.breach_not_reportable(breach=breach, reason="")


def change_form(breach, **overrides):
    data = {
        "summary": breach.summary,
        "description": "",
        "categories": breach.categories,
        "subject_kinds": breach.subject_kinds,
        "subjects_affected": str(breach.subjects_affected),
        "occurred_at_0": "",
        "occurred_at_1": "",
        "found_at_0": "2026-12-01",
        "found_at_1": "09:00:00",
        "consequences": "",
        "measures": "",
    }
    return data | overrides


@time_machine.travel(NOW + datetime.timedelta(hours=80), tick=False)
def test_a_late_report_needs_a_reason_for_the_delay_and_is_flagged(client):
    staff_in(client, PRIVACY_OFFICER)
    breach = breach_new()
    late = {"reported_at": "2026-12-04T12:00", "authority_reference": "ICO-9"}  # 75 hours
    response = client.post(step_url(breach, "report"), late, follow=True)
    assert "give the reason for the delay" in response.content.decode()
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN and breach.history.count() == 1
    # French too.
    response = client.post(step_url(breach, "report").replace("/en/", "/fr/"), late, follow=True)
    assert "indiquez la raison du retard" in response.content.decode()

    client.post(step_url(breach, "report"), late | {"late_reason": "Found on a Friday night."})
    breach.refresh_from_db()
    assert breach.status == BreachStatus.REPORTED
    assert breach.late_reason == "Found on a Friday night."
    assert breaches.breach_lateness(breach) == datetime.timedelta(hours=3)
    page = client.get(LIST + "?deadline=late").content.decode()
    assert breach.reference in page and "(reported 3 hours late)" in page


@time_machine.travel(NOW + datetime.timedelta(hours=80), tick=False)
def test_control_a_report_within_72_hours_needs_no_reason_and_is_not_flagged(client):
    staff_in(client, PRIVACY_OFFICER)
    breach = breach_new()
    on_time = {"reported_at": "2026-12-04T08:00", "authority_reference": "ICO-10"}  # 71 hours
    client.post(step_url(breach, "report"), on_time)
    breach.refresh_from_db()
    assert breach.status == BreachStatus.REPORTED and breach.late_reason == ""
    assert breaches.breach_lateness(breach) is None
    client.get(LIST)  # shows (and so uses up) the step's message naming the breach
    assert breach.reference not in client.get(LIST + "?deadline=late").content.decode()


@time_machine.travel(NOW + datetime.timedelta(hours=30), tick=False)
def test_the_deadline_facts_are_locked_once_reported_and_the_change_is_in_history(client):
    staff_in(client, PRIVACY_OFFICER)
    breach = breach_new()
    url = f"/en/admin/privacy/personaldatabreach/{breach.pk}/change/"
    # While open, found_at may be corrected (the change is a history row).
    earlier = change_form(breach, found_at_1="07:00:00")
    assert client.post(url, earlier).status_code == 302
    breach.refresh_from_db()
    assert breach.found_at == NOW - datetime.timedelta(hours=2)
    assert breach.history.count() == 2
    breaches.breach_report(breach=breach, reported_at=timezone.now(), authority_reference="ICO-11")
    moved = change_form(breach, found_at_0="2026-12-02", summary="Laptop left on a train")
    assert client.post(url, moved).status_code == 302
    breach.refresh_from_db()
    assert breach.found_at == NOW - datetime.timedelta(hours=2)  # locked: unchanged
    assert breach.summary == "Laptop left on a train"  # the description still can be
    assert [h.found_at for h in breach.history.order_by("history_date")][-1] == breach.found_at
