"""A customer's kept pages (shop.customer_pages): served again only to that customer,
signed in as when they were kept, and never after anything on them changed: a row
(saved, deleted, or changed in bulk by retention), the catalog, or the time that a
period or a notice on the page ends. The cache holds them sealed, and an erased
customer's cannot be opened again. (Every entry point that moves an order is checked
against a fresh page in test_entry_points.py.)"""

import datetime
import pickle
import re

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse

from privacy.retention.jobs import anonymise_rows
from privacy.rights.erasure import account_close
from privacy.tests.factories import UserFactory
from shop.customer_pages.changes import PATHS
from shop.customer_pages.store import code_fingerprint, token_key
from shop.fulfilment.dispatch import order_deliver, order_dispatch
from shop.models import Address, Order, OrderStatus
from shop.orders.reservations import EXPIRED_REASON
from shop.orders.services import order_transition
from shop.returns.period import withdrawal_period
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import CARD_SUCCESS, basket_add, checkout_place, simulator_pay

pytestmark = pytest.mark.django_db

# Masked anew on every page, as Django does: compared without them.
PER_REQUEST = re.compile(r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')


def page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return PER_REQUEST.sub("", response.content.decode())


def fresh(client, path) -> str:
    """The page rendered from the database, nothing kept (the session survives in the
    database)."""
    cache.clear()
    return page(client, path)


def paid_order(client, **user_fields):
    user = UserFactory(**user_fields)
    client.force_login(user)
    basket_add(client, ModuleFactory(stock=9, price_pence=4_000))
    order = checkout_place(client)
    simulator_pay(client, order, CARD_SUCCESS)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    client.get(reverse("shop:home"))  # the flash messages are shown, then gone
    return user, order


def order_path(order) -> str:
    return reverse("shop:order-detail", args=[order.number])


@pytest.mark.redis
def test_a_kept_page_is_served_again_as_rendered(client):
    _user, order = paid_order(client)
    cache.clear()
    rendered = client.get(order_path(order))
    assert cache.get(token_key(order.user_id))  # kept under the customer's token
    kept = client.get(order_path(order))
    assert dict(kept.headers) == dict(rendered.headers)
    assert page(client, order_path(order)) == fresh(client, order_path(order))
    assert PER_REQUEST.sub("", kept.content.decode()) == PER_REQUEST.sub(
        "", rendered.content.decode()
    )


@pytest.mark.redis
def test_a_status_change_ends_the_kept_page(client):
    _user, order = paid_order(client)
    before = page(client, order_path(order))
    order_dispatch(order=order, courier="dpd", tracking_number="DPD123")
    after = page(client, order_path(order))
    assert after != before and "DPD123" in after
    assert after == fresh(client, order_path(order))


@pytest.mark.redis
def test_a_saved_address_ends_the_kept_checkout_page(client):
    user, _order = paid_order(client)
    basket_add(client, ModuleFactory(stock=9))
    before = page(client, reverse("shop:checkout"))
    Address.objects.create(
        user=user, name="Grace Hopper", line1="9 Harbour Row", city="Leeds", postcode="LS1 4AP"
    )
    after = page(client, reverse("shop:checkout"))
    assert after != before
    assert after == fresh(client, reverse("shop:checkout"))


def test_a_price_change_ends_the_kept_basket(client, django_capture_on_commit_callbacks):
    _user, _order = paid_order(client)
    module = ModuleFactory(stock=9, price_pence=1_234)
    basket_add(client, module)
    assert "12.34" in page(client, reverse("shop:basket-detail"))
    module.price_pence = 5_678
    with django_capture_on_commit_callbacks(execute=True):  # the catalog's version moves
        module.save()
    after = page(client, reverse("shop:basket-detail"))
    assert "56.78" in after and "12.34" not in after


def test_the_withdrawal_button_goes_when_the_period_ends_with_nothing_saved(client):
    _user, order = paid_order(client)
    order_dispatch(order=order, courier="dpd", tracking_number="DPD1")
    order_deliver(order=order, source="courier")
    session = client.session
    session.set_expiry(datetime.timedelta(days=60))  # still signed in a fortnight later
    session.save()
    withdraw = reverse("shop:withdrawal-start", args=[order.number])
    assert withdraw in page(client, order_path(order))  # kept with the button
    ends = withdrawal_period(Order.objects.get(pk=order.pk)).ends_at
    with time_machine.travel(ends - datetime.timedelta(minutes=1)):
        assert withdraw in page(client, order_path(order))
    with time_machine.travel(ends + datetime.timedelta(minutes=1)):
        assert withdraw not in page(client, order_path(order))


def test_a_ran_out_notice_goes_from_the_kept_basket_a_day_later(client):
    user = UserFactory()
    client.force_login(user)
    basket_add(client, ModuleFactory(stock=9))
    order = checkout_place(client)
    order_transition(order=order, to=OrderStatus.CANCELLED, reason=EXPIRED_REASON)
    assert order.number in page(client, reverse("shop:basket-detail"))
    cancelled = order.events.filter(reason=EXPIRED_REASON).latest("pk").created_at
    gone = cancelled + datetime.timedelta(days=1)
    with time_machine.travel(gone - datetime.timedelta(minutes=1)):
        assert order.number in page(client, reverse("shop:basket-detail"))  # kept again
    with time_machine.travel(gone + datetime.timedelta(minutes=1)):
        assert order.number not in page(client, reverse("shop:basket-detail"))


@pytest.mark.redis
def test_a_bulk_change_by_retention_ends_the_kept_pages(client):
    user, _order = paid_order(client)
    Address.objects.create(user=user, name="Ada", line1="1 Way", city="York", postcode="YO1 7HH")
    basket_add(client, ModuleFactory(stock=9))
    page(client, reverse("shop:checkout"))
    assert cache.get(token_key(user.pk))
    anonymise_rows({"city": "erased"})(Address.objects.filter(user=user))
    assert cache.get(token_key(user.pk)) is None
    assert "erased" in page(client, reverse("shop:checkout"))


@pytest.mark.redis
def test_another_customer_never_gets_a_kept_page(client):
    _owner, order = paid_order(client)
    assert order.number in page(client, order_path(order))
    assert order.number in page(client, reverse("shop:order-list"))  # kept, with the order
    client.force_login(UserFactory())
    assert client.get(order_path(order)).status_code == 404
    assert order.number not in page(client, reverse("shop:order-list"))


@pytest.mark.redis
def test_a_session_from_before_a_password_change_gets_no_kept_page(client):
    user, order = paid_order(client)
    page(client, order_path(order))
    user.set_password("a new password 9123")
    user.save()
    response = client.get(order_path(order))
    assert response.status_code == 302 and "login" in response["Location"]


def _cached_bytes() -> bytes:
    return b"".join(pickle.dumps(value) for value in cache._cache.values())


def test_the_cache_holds_kept_pages_sealed(client):
    _user, order = paid_order(client)
    order = Order.objects.get(pk=order.pk)
    shown = page(client, order_path(order))
    assert order.delivery_postcode in shown and order.number in shown  # control
    raw = _cached_bytes()
    for value in (order.delivery_postcode, order.delivery_city, order.number):
        assert value.encode() not in raw


def test_an_erased_customer_s_kept_pages_cannot_be_opened(client):
    """The key that opens them is gone from the cache with the account."""
    user, order = paid_order(client)
    page(client, order_path(order))
    token = cache.get(token_key(user.pk))
    assert token and token.encode() in _cached_bytes()  # control: the token is there
    account_close(user=user)
    assert token.encode() not in _cached_bytes()


def test_the_kept_dashboard_shows_a_changed_name(client):
    user, _order = paid_order(client, first_name="Ada", last_name="Byron")
    assert "Ada Byron" in page(client, reverse("privacy:account-detail"))
    client.post(
        reverse("privacy:profile"), {"first_name": "Augusta", "last_name": "King", "phone": ""}
    )
    shown = page(client, reverse("privacy:account-detail"))
    assert "Augusta King" in shown and "Ada Byron" not in shown


# Models that lead to a person but never to a page the customer sees kept, each with
# its reason.
NOT_ON_KEPT_PAGES = {
    "mfa.authenticator": "two-factor devices: on allauth's pages, which are not kept",
    "admin.logentry": "the staff admin's log of its own actions, by staff",
}


def _leads_to_a_person(model, depth=3) -> bool:
    if depth == 0:
        return False
    for field in model._meta.get_fields():
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            continue
        if field.name == "history_user":
            continue
        target = field.related_model
        if target is get_user_model() or _leads_to_a_person(target, depth - 1):
            return True
    return False


def test_every_model_that_leads_to_a_person_ends_their_kept_pages():
    """A model added later with a path to a customer is watched, or says why not."""
    leading = {
        model
        for model in apps.get_models()
        if not model.__name__.startswith("Historical") and _leads_to_a_person(model)
    }
    assert {m._meta.label_lower for m in leading} >= {"shop.order", "shop.orderline"}  # control
    unwatched = {model._meta.label_lower for model in leading if model not in PATHS} - set(
        NOT_ON_KEPT_PAGES
    )
    assert unwatched == set()


def test_a_line_added_to_a_kept_basket_shows(client):
    _user, _order = paid_order(client)
    basket_add(client, ModuleFactory(stock=9, part_number="FIRST-LINE-1"))
    assert "FIRST-LINE-1" in page(client, reverse("shop:basket-detail"))
    basket_add(client, ModuleFactory(stock=9, part_number="SECOND-LINE-2"))
    assert "SECOND-LINE-2" in page(client, reverse("shop:basket-detail"))


def test_a_deploy_that_changes_a_template_renders_pages_afresh(settings, tmp_path, monkeypatch):
    """The pages' key holds a digest of what renders them; tests do not count."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "shop" / "tests").mkdir(parents=True)
    template, test = tmp_path / "templates" / "page.html", tmp_path / "shop" / "tests" / "t.py"
    template.write_text("<p>{{ order.number }}</p>")
    test.write_text("x = 1")
    settings.BASE_DIR = tmp_path

    def fingerprint():
        code_fingerprint.cache_clear()
        return code_fingerprint()

    try:
        first = fingerprint()
        test.write_text("x = 2")
        assert fingerprint() == first
        template.write_text("<p>Order {{ order.number }}</p>")
        second = fingerprint()
        assert second != first
        monkeypatch.setenv("SHOP_RESERVATION_MINUTES", "45")  # a restart, another setting
        assert fingerprint() != second
    finally:
        code_fingerprint.cache_clear()


def test_a_page_rendered_while_another_request_makes_the_token_is_shown_whole(client, monkeypatch):
    """Two first pages at once: the one that loses the race to make the customer's
    token shows its page with the visitor's parts filled in, and keeps nothing."""
    _user, order = paid_order(client)
    cache.clear()
    monkeypatch.setattr(LocMemCache, "add", lambda self, *args, **kwargs: False)
    response = client.get(order_path(order))
    shown = response.content.decode()
    assert response.status_code == 200 and order.number in shown
    assert "Sign out" in shown and "<!--header-" not in shown and "<!--messages-" not in shown
    assert re.search(r'name="csrfmiddlewaretoken" value="\w{64}"', shown)
    assert cache.get(token_key(order.user_id)) is None
