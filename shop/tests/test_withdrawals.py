"""The withdrawal function through the test client: the button on the order page while
the period runs, the statement and its "Confirm withdrawal" step (nothing is written
before it), the acknowledgement e-mail with the statement and the date and time it was
received, and the way in from the footer for someone not signed in."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from shop.models import Order, OrderEvent, Withdrawal, WithdrawalStatus
from shop.returns.links import RATE_LIMITS
from shop.tests.factories_orders import delivered_order, paid_order

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# 1 July 2026, 10:00 UTC: 11:00 in London, 12:00 in Paris (summer time).
DELIVERED = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
CONFIRMED = datetime.datetime(2026, 7, 6, 13, 5, tzinfo=UTC)
TEXT = {
    "en": {
        "button": "Withdraw from contract here",
        "confirm": "Confirm withdrawal",
        "done": "Withdrawal received",
        "sent": "If this order number and address match an order you can still withdraw from",
        "received": "We received your withdrawal",
        "statement": "I withdraw from my contract of sale for the following goods of order",
        "time": "6 July 2026, 14:05 (UK time)",  # London
        "country": "GB",
        "ended": "The 14-day withdrawal period for order",
        "already": "You have already withdrawn from every item of order",
        "subject": "We received your withdrawal from order",
    },
    "fr": {
        "button": "Se rétracter du contrat ici",
        "confirm": "Confirmer la rétractation",
        "done": "Rétractation reçue",
        "sent": "Si ce numéro de commande et cette adresse correspondent à une commande",
        "received": "Nous avons reçu votre rétractation",
        "statement": "Je me rétracte de mon contrat de vente portant sur les biens suivants",
        "time": "6 juillet 2026, 15:05 (heure française)",  # Paris
        "country": "FR",
        "ended": "Le délai de rétractation de 14 jours pour la commande",
        "already": "Vous vous êtes déjà rétracté de tous les articles de la commande",
        "subject": "Nous avons reçu votre rétractation de la commande",
    },
}


def delivered(lang="en", **kwargs):
    with time_machine.travel(DELIVERED, tick=False):
        return delivered_order(
            user__language=lang,
            delivery_country=TEXT[lang]["country"],
            user__first_name="Ada",
            user__last_name="Lovelace",
            **kwargs,
        )


def signed_in(order) -> Client:
    client = Client()
    client.force_login(order.user)
    return client


def statement_post(order, **overrides):
    data = {
        "name": "Ada Lovelace",
        "email": order.user.email,
        "lines": [str(pk) for pk in order.lines.values_list("pk", flat=True)],
        "confirm": "1",
    }
    return {**data, **overrides}


def acknowledgement():
    found = [m for m in mail.outbox if "withdraw" in m.subject or "rétract" in m.subject]
    assert found, [m.subject for m in mail.outbox]
    return found[-1]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_customer_withdraws_in_two_steps_and_gets_the_acknowledgement(
    lang, django_capture_on_commit_callbacks
):
    order = delivered(lang)
    client = signed_in(order)
    text = TEXT[lang]
    with time_machine.travel(CONFIRMED, tick=False):
        page = client.get(f"/{lang}/orders/{order.number}/")
        assert text["button"] in page.text
        first = client.get(f"/{lang}/orders/{order.number}/withdraw/")
        assert first.status_code == 200
        for shown in (order.number, "Ada Lovelace", order.user.email, text["confirm"]):
            assert shown in first.text
        assert order.lines.get().part_number in first.text
        assert not Withdrawal.objects.exists()  # the first step writes nothing

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(f"/{lang}/orders/{order.number}/withdraw/", statement_post(order))
        assert done.status_code == 302
        page = client.get(done["Location"])
    withdrawal = Withdrawal.objects.get()
    assert text["done"] in page.text and withdrawal.reference in page.text
    assert (withdrawal.status, withdrawal.via_link, withdrawal.language) == (
        "received",
        False,
        lang,
    )
    assert withdrawal.received_at == CONFIRMED
    assert withdrawal.refund_due == datetime.date(2026, 7, 20)
    assert text["statement"] in withdrawal.statement and order.number in withdrawal.statement
    assert OrderEvent.objects.filter(order=order, kind="withdrawal").count() == 1

    message = acknowledgement()
    assert message.to == [order.user.email]
    assert text["subject"] in message.subject
    assert text["received"] in message.body and text["time"] in message.body
    assert withdrawal.statement in message.body
    html = message.alternatives[0][0]
    assert text["time"] in html and withdrawal.reference in html

    # The period still runs, but everything is withdrawn: no more button.
    with time_machine.travel(CONFIRMED, tick=False):
        assert text["button"] not in client.get(f"/{lang}/orders/{order.number}/").text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_guest_withdraws_from_the_footer_through_an_emailed_link(
    lang, settings, django_capture_on_commit_callbacks
):
    settings.SHOP_WITHDRAWAL_ANSWER_SECONDS = 0
    order = delivered(lang)
    text = TEXT[lang]
    guest = Client()
    with time_machine.travel(CONFIRMED, tick=False):
        footer = guest.get(f"/{lang}/")
        assert f'href="/{lang}/withdraw/"' in footer.text
        with django_capture_on_commit_callbacks(execute=True):
            answer = guest.post(
                f"/{lang}/withdraw/", {"number": order.number.lower(), "email": order.user.email}
            )
        assert answer.status_code == 200 and text["sent"] in answer.text
        link = re.search(r"https?://[^/\s]+(/\S+/withdraw/\S+/)", mail.outbox[-1].body)[1]
        assert not Withdrawal.objects.exists()
        first = guest.get(link)
        assert first.status_code == 200 and text["confirm"] in first.text
        assert order.user.email in first.text
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            done = guest.post(link, statement_post(order))
        assert done.status_code == 302
        assert text["done"] in guest.get(done["Location"]).text
        withdrawal = Withdrawal.objects.get()
        assert withdrawal.via_link is True
        assert text["time"] in acknowledgement().body
        # The link served one withdrawal: it no longer opens.
        again = guest.get(link)
    assert again.status_code == 400 and text["confirm"] not in again.text


def test_the_footer_form_answers_the_same_whether_or_not_it_matches(
    settings, django_capture_on_commit_callbacks
):
    settings.SHOP_WITHDRAWAL_ANSWER_SECONDS = 0
    order = delivered()
    other = delivered()
    attempts = [
        {"number": order.number, "email": order.user.email},  # matches
        {"number": order.number, "email": other.user.email},  # someone else's order
        {"number": "OT-2026-NOPE", "email": order.user.email},  # unknown order
    ]
    answers = []
    with time_machine.travel(CONFIRMED, tick=False):
        for data in attempts:
            mail.outbox.clear()
            with django_capture_on_commit_callbacks(execute=True):
                response = Client().post("/en/withdraw/", data)
            panel = re.search(
                r'data-testid="withdrawal-link-sent">(.*?)</div>', response.text, re.S
            )
            answers.append((response.status_code, panel[1], len(mail.outbox)))
    assert answers[0][:2] == answers[1][:2] == answers[2][:2]
    assert [sent for *_, sent in answers] == [1, 0, 0]  # only the match is written to
    assert not Withdrawal.objects.exists()


def test_every_answer_of_the_footer_form_takes_the_same_minimum_time(settings):
    """The queue is the production one, so a match only queues its e-mail; every
    answer waits for the same floor, match or not."""
    settings.SHOP_WITHDRAWAL_ANSWER_SECONDS = 0.3
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    order = delivered()
    durations = {}
    with time_machine.travel(CONFIRMED):
        for label, email in (("match", order.user.email), ("other", "nobody@example.org")):
            started = datetime.datetime.now(UTC)
            response = Client().post("/en/withdraw/", {"number": order.number, "email": email})
            durations[label] = (datetime.datetime.now(UTC) - started).total_seconds()
            assert response.status_code == 200
    assert min(durations.values()) >= 0.3, durations


def test_the_footer_form_is_rate_limited(settings):
    settings.SHOP_WITHDRAWAL_ANSWER_SECONDS = 0
    limit = RATE_LIMITS["email"][0]
    data = {"number": "OT-2026-X0001", "email": "probe@example.org"}
    client = Client()
    for _attempt in range(limit):
        assert client.post("/en/withdraw/", data).status_code == 200
    refused = client.post("/fr/withdraw/", data)
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.text


def test_bad_footer_input_is_refused_with_a_message(settings):
    response = Client().post("/en/withdraw/", {"number": "", "email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text


def test_a_forged_or_expired_link_opens_nothing(settings, django_capture_on_commit_callbacks):
    settings.SHOP_WITHDRAWAL_ANSWER_SECONDS = 0
    order = delivered()
    with time_machine.travel(CONFIRMED, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            Client().post("/en/withdraw/", {"number": order.number, "email": order.user.email})
        link = re.search(r"https?://[^/\s]+(/\S+/withdraw/\S+/)", mail.outbox[-1].body)[1]
        forged = Client().post(link[:-3] + "xx/", statement_post(order))
    assert forged.status_code == 400 and "not valid or has expired" in forged.text
    with time_machine.travel(CONFIRMED + datetime.timedelta(days=1, minutes=1), tick=False):
        expired = Client().post(link, statement_post(order))
    assert expired.status_code == 400 and "not valid or has expired" in expired.text
    assert not Withdrawal.objects.exists()


# ---------------------------------------------------------------- the period's edges


@pytest.mark.parametrize(
    ("lang", "delivered_at", "last_open", "first_closed"),
    [
        # London: delivered on 1 July (BST), open until the end of 15 July, London time.
        (
            "en",
            DELIVERED,
            datetime.datetime(2026, 7, 15, 22, 59, 59, tzinfo=UTC),
            datetime.datetime(2026, 7, 15, 23, 0, tzinfo=UTC),
        ),
        # Paris: 1 July 22:30 UTC is already 2 July in Paris; open until the end of 16 July.
        (
            "fr",
            datetime.datetime(2026, 7, 1, 22, 30, tzinfo=UTC),
            datetime.datetime(2026, 7, 16, 21, 59, 59, tzinfo=UTC),
            datetime.datetime(2026, 7, 16, 22, 0, tzinfo=UTC),
        ),
    ],
)
def test_the_button_runs_for_14_days_from_delivery_in_the_customers_time_zone(
    lang, delivered_at, last_open, first_closed
):
    with time_machine.travel(delivered_at, tick=False):
        order = delivered_order(user__language=lang, delivery_country=TEXT[lang]["country"])
    client = signed_in(order)
    text = TEXT[lang]
    with time_machine.travel(last_open, tick=False):
        assert text["button"] in client.get(f"/{lang}/orders/{order.number}/").text
        assert client.get(f"/{lang}/orders/{order.number}/withdraw/").status_code == 200
    with time_machine.travel(first_closed, tick=False):
        assert text["button"] not in client.get(f"/{lang}/orders/{order.number}/").text
        late = client.post(f"/{lang}/orders/{order.number}/withdraw/", statement_post(order))
    assert late.status_code == 409 and text["ended"] in late.text
    assert not Withdrawal.objects.exists()


def test_a_customer_may_withdraw_before_the_parcel_arrives():
    order = paid_order()
    client = signed_in(order)
    page = client.get(f"/en/orders/{order.number}/")
    assert "Withdraw from contract here" in page.text
    assert "until 14 days after the parcel reaches you" in page.text


@pytest.mark.parametrize("status", ["pending_payment", "cancelled"])
def test_no_button_on_an_order_that_is_not_a_contract(status):
    order = paid_order() if status != "pending_payment" else None
    if order is None:
        from shop.tests.factories_orders import OrderFactory

        order = OrderFactory()
    else:
        Order.objects.filter(pk=order.pk).update(status=status)
    client = signed_in(order)
    assert "Withdraw from contract here" not in client.get(f"/en/orders/{order.number}/").text
    refused = client.post(f"/en/orders/{order.number}/withdraw/", statement_post(order))
    assert refused.status_code == 409 and "cannot be withdrawn from" in refused.text
    assert not Withdrawal.objects.exists()


# ---------------------------------------------------------------- bad input


def test_someone_elses_order_is_not_found_and_nothing_is_written():
    order = delivered()
    stranger = delivered()
    client = signed_in(stranger)
    with time_machine.travel(CONFIRMED, tick=False):
        assert client.get(f"/en/orders/{order.number}/withdraw/").status_code == 404
        response = client.post(f"/en/orders/{order.number}/withdraw/", statement_post(order))
    assert response.status_code == 404
    assert not Withdrawal.objects.exists()


def test_a_line_of_another_order_is_refused_by_the_form():
    order = delivered()
    other = delivered()
    client = signed_in(order)
    foreign = str(other.lines.get().pk)
    with time_machine.travel(CONFIRMED, tick=False):
        response = client.post(
            f"/fr/orders/{order.number}/withdraw/", statement_post(order, lines=[foreign])
        )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.text
    assert not Withdrawal.objects.exists()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_second_withdrawal_of_the_same_items_is_refused(lang, django_capture_on_commit_callbacks):
    order = delivered(lang)
    client = signed_in(order)
    url = f"/{lang}/orders/{order.number}/withdraw/"
    with time_machine.travel(CONFIRMED, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, statement_post(order)).status_code == 302
        second = client.post(url, statement_post(order))
    assert second.status_code == 409 and TEXT[lang]["already"] in second.text
    assert Withdrawal.objects.count() == 1


def test_the_items_kept_can_be_withdrawn_from_later(django_capture_on_commit_callbacks):
    order = delivered(lines=((2500, 1), (1200, 2)))
    first, second = order.lines.all()
    client = signed_in(order)
    url = f"/en/orders/{order.number}/withdraw/"
    with time_machine.travel(CONFIRMED, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, statement_post(order, lines=[str(first.pk)]))
        page = client.get(url)
        boxes = re.findall(r'name="lines" value="(\d+)"', page.text)
        assert boxes == [str(second.pk)]
        again = client.post(url, statement_post(order, lines=[str(first.pk)]))
        assert again.status_code == 400
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                client.post(url, statement_post(order, lines=[str(second.pk)])).status_code == 302
            )
    assert [list(w.lines.values_list("line_id", flat=True)) for w in Withdrawal.objects.all()] == [
        [first.pk],
        [second.pk],
    ]


def test_an_empty_statement_is_refused_with_messages():
    order = delivered()
    client = signed_in(order)
    with time_machine.travel(CONFIRMED, tick=False):
        response = client.post(
            f"/fr/orders/{order.number}/withdraw/", {"name": "", "email": "x", "lines": []}
        )
    assert response.status_code == 400
    assert "Choisissez au moins un article." in response.text
    assert not Withdrawal.objects.exists()


def test_the_statement_is_encrypted_and_in_the_export(django_capture_on_commit_callbacks):
    from django.db import connection

    order = delivered()
    client = signed_in(order)
    with (
        time_machine.travel(CONFIRMED, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(
            f"/en/orders/{order.number}/withdraw/",
            statement_post(order, name="Zqwithdrawer Name"),
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, email, statement FROM shop_withdrawal")
        raw = " ".join(str(value) for value in cursor.fetchone())
    assert "Zqwithdrawer" not in raw and order.user.email not in raw
    assert Withdrawal.objects.get().status == WithdrawalStatus.RECEIVED
    from privacy.rights.export import export_build

    exported = str(export_build(user=order.user))
    assert "Zqwithdrawer Name" in exported
    with time_machine.travel(CONFIRMED, tick=False):
        page = client.get("/fr/account/my-data/")
    assert page.status_code == 200
    assert "Zqwithdrawer Name" in page.text and "Vos rétractations d’achats" in page.text


def test_the_period_counts_from_the_couriers_delivery_time_not_from_its_report():
    from shop.fulfilment.dispatch import order_deliver, order_dispatch
    from shop.returns.services import withdrawal_refusal

    with time_machine.travel(DELIVERED - datetime.timedelta(days=2), tick=False):
        order = paid_order()
        order_dispatch(order=order, courier="dpd", tracking_number="DPD1")
    with time_machine.travel(DELIVERED + datetime.timedelta(days=2), tick=False):
        order_deliver(order=order, source="courier dpd", delivered_at=DELIVERED)
    order.refresh_from_db()
    assert order.delivered_at == DELIVERED
    with time_machine.travel(datetime.datetime(2026, 7, 15, 22, 59, tzinfo=UTC), tick=False):
        assert withdrawal_refusal(order) is None
    with time_machine.travel(datetime.datetime(2026, 7, 15, 23, 0, tzinfo=UTC), tick=False):
        assert "ended on 15 July 2026" in withdrawal_refusal(order)
