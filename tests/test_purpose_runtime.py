"""Purposes at the point of read (privacy.purposes): a personal field opens only inside
a purpose its declaration names, however it is reached, with a control for each refusal.

These tests take away the pass a test's own reads have (``purposes_enforced``): only
the purposes active at the time of the read decide."""

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.template import Context, Template
from django.urls import reverse

from privacy import policy, role_matrix
from privacy.consent.services import consents_record
from privacy.models import Disclosure
from privacy.purposes import PurposeNotAllowed, acting_for, no_purpose, purpose, readers_for
from privacy.tests.factories import UserFactory
from shop.fulfilment import dispatch
from shop.fulfilment.reviews import services as reviews
from shop.fulfilment.reviews.memory import MemoryReviewProvider
from shop.models import Order, ReviewInvitation
from shop.tests.factories_orders import OrderFactory, paid_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("purposes_enforced")]
PHONE = "delivery_" + "phone"  # a name the source walk cannot see


def an_order(**kwargs) -> Order:
    with purpose("orders"):
        return OrderFactory(delivery_phone="+447700900123", **kwargs)


def test_reading_the_phone_outside_every_purpose_is_refused_and_inside_orders_succeeds():
    order = Order.objects.get(pk=an_order().pk)
    with pytest.raises(PurposeNotAllowed, match="delivery_phone.*active: none"):
        getattr(order, PHONE)
    with purpose("orders"):
        assert getattr(order, PHONE) == "+447700900123"  # control


def test_a_purpose_the_declaration_does_not_name_is_refused():
    order = an_order()
    for key in ("statistics", "review-invitations", "marketing-sms", "key-rotation"):
        with pytest.raises(PurposeNotAllowed), purpose(key):
            getattr(order, PHONE)
    assert "statistics" not in readers_for(Order, "delivery_phone")


def test_own_data_opens_the_customers_own_rows_and_nobody_elses():
    mine, theirs = an_order(), an_order()
    with purpose(policy.OWN_DATA, subject=mine.user):
        assert mine.delivery_phone == "+447700900123"
        with pytest.raises(PurposeNotAllowed):
            theirs.delivery_phone  # noqa: B018 - the read is the test


def test_a_function_acting_for_a_purpose_reads_and_the_same_read_outside_fails():
    order = an_order()

    @acting_for("orders")
    def label(row):
        return getattr(row, PHONE)

    def label_outside(row):
        return getattr(row, PHONE)

    assert label(order) == "+447700900123"
    with pytest.raises(PurposeNotAllowed):
        label_outside(order)


def test_an_unknown_purpose_cannot_be_made_active():
    with pytest.raises(PurposeNotAllowed, match="not a purpose"), purpose("selling-lists"):
        pytest.fail("the block must not run")
    with pytest.raises(PurposeNotAllowed, match="subject"), purpose(policy.OWN_DATA):
        pytest.fail("own data names whose it is")


def test_a_template_reads_under_the_purposes_of_its_caller():
    order = an_order()
    template = Template("{{ order.delivery_phone }}")
    with pytest.raises(PurposeNotAllowed):
        template.render(Context({"order": order}))
    with purpose("orders"):
        assert template.render(Context({"order": order})) == "+447700900123"


# Promise 18: only the name, the e-mail address and the order number go to reviews.


def delivered(user=None):
    order = paid_order(**({"user": user} if user else {}))
    consents_record(user=order.user, choices={"review-invitations": True}, source="dashboard")
    with time_machine.travel(datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC), tick=False):
        dispatch.order_dispatch(order=order, courier="dpd", tracking_number="T1")
        dispatch.order_deliver(order=order, source="test")
    return Order.objects.get(pk=order.pk)


class LeakyProvider(MemoryReviewProvider):
    """A provider handed more than the promise allows: it reads the order's address."""

    field = "delivery_line1"

    def invite(self, *, name, email, order_number, language):
        order = Order.objects.get(number=order_number)
        getattr(order, self.field)
        return super().invite(name=name, email=email, order_number=order_number, language=language)


@pytest.mark.parametrize("field", ["delivery_line1", "delivery_postcode", "delivery_phone"])
def test_sending_the_address_or_phone_to_the_review_service_fails_at_run_time(monkeypatch, field):
    order = delivered(UserFactory(first_name="Ada", last_name="Lovelace"))
    monkeypatch.setattr(LeakyProvider, "field", field)
    monkeypatch.setattr(reviews, "review_provider", LeakyProvider)
    with pytest.raises(PurposeNotAllowed, match=field):
        reviews.review_invitation_send(order=order)
    assert not ReviewInvitation.objects.exists()
    assert not Disclosure.objects.filter(processor="reviews").exists()


def test_control_name_email_and_order_number_go_to_the_review_service(monkeypatch, settings):
    settings.REVIEW_PROVIDER_BACKEND = "memory"  # a review service is configured
    MemoryReviewProvider.reset()
    order = delivered(UserFactory(first_name="", last_name=""))
    monkeypatch.setattr(LeakyProvider, "field", "delivery_name")
    monkeypatch.setattr(reviews, "review_provider", LeakyProvider)
    assert reviews.review_invitation_send(order=order) is not None
    [sent] = MemoryReviewProvider.sent
    with purpose("orders"):
        assert (sent.name, sent.order_number) == (order.delivery_name, order.number)
    assert Disclosure.objects.filter(processor="reviews").count() == 1


# The admin reads under the purposes of the staff member's roles.


def test_the_admin_shows_an_order_under_the_roles_purposes_and_refuses_without(client, monkeypatch):
    order = an_order()
    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    url = reverse("admin:shop_order_change", args=[order.pk])
    response = client.get(url)
    assert response.status_code == 200 and "+447700900123" in response.text
    granted = role_matrix.ROLE_PURPOSES[role_matrix.SUPERUSER]
    without_orders = tuple(key for key in granted if key != "orders")
    monkeypatch.setitem(role_matrix.ROLE_PURPOSES, role_matrix.SUPERUSER, without_orders)
    client.raise_request_exception = True
    with pytest.raises(PurposeNotAllowed, match="shop.order"):
        client.get(url)


def test_a_worker_with_no_purpose_opens_a_queued_email_as_email_delivery(
    settings, django_capture_on_commit_callbacks
):
    """The queue's worker starts with nothing active (another process): the e-mail task
    opens the envelope as e-mail delivery and writes the message under the purpose it
    was queued for, for its recipient's own rows only."""
    from django.core import mail

    from privacy.emails import email_send
    from privacy.models import OutgoingEmail
    from privacy.tasks import email_attempt, email_deliver

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    order = an_order(delivery_name="Ada Queued")
    with purpose("orders"):
        email_send(
            to=order.user.email,
            template="shop/emails/order_paid",
            context={"order": order},
            language="en",
            user=order.user,
            purpose="orders",
        )
    queued = OutgoingEmail.objects.get()
    with no_purpose():
        email_deliver.func(email_id=queued.pk)
    assert len(mail.outbox) == 1 and order.number in mail.outbox[0].body
    assert OutgoingEmail.objects.get(pk=queued.pk).status == "sent"
    # Control: the same task without its operation cannot open the envelope.
    with purpose("orders"):
        email_send(
            to=order.user.email,
            template="shop/emails/order_paid",
            context={"order": order},
            language="en",
            user=order.user,
            purpose="orders",
        )
    other = OutgoingEmail.objects.exclude(pk=queued.pk).get()
    with no_purpose():
        email_attempt.__wrapped__(email_id=other.pk)  # the attempt records its failure
    other.refresh_from_db()
    assert other.status == "dead"
    assert "PurposeNotAllowed" in other.last_error and "outgoingemail" in other.last_error


def test_every_encrypted_field_of_every_declared_model_and_its_history_is_guarded():
    from django_cryptography.fields import EncryptedMixin

    from privacy import registry
    from privacy.purposes import GuardedAttribute

    checked = 0
    for declaration in registry.declarations():
        for model in filter(None, (declaration.model, declaration.history_model)):
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedMixin):
                    assert isinstance(model.__dict__[field.attname], GuardedAttribute), field
                    assert declaration.purpose in readers_for(model, field.name)
                    checked += 1
    assert checked > 40  # orders, addresses, payments, users, requests... and history
