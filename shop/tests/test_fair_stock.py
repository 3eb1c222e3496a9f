"""Fair stock: no customer and no network (an IPv4 address, an IPv6 /64) may hold more
than a share of a module's stock in unpaid orders, the customer who hits a limit is
told what it is and when it frees up, and a deployment that reads every customer as
its proxy is warned about."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from offtek.middleware import TrustedProxyWatchMiddleware
from privacy.tests.factories import UserFactory
from shop.checkout.networks import client_ip_hash, client_network
from shop.models import OrderStatus
from shop.tests.factories import ModuleFactory
from shop.tests.helpers import (
    ADDRESS,
    basket_add,
    checkout_place,
    shown_prices_in,
    simulator_pay,
)

pytestmark = pytest.mark.django_db

ONE_SLASH_64 = ["2001:db8:5:7::1", "2001:db8:5:7:a::9", "2001:db8:5:7:ffff::2"]
THREE_NETWORKS = ["2001:db8:5:7::1", "2001:db8:5:8::1", "198.51.100.4"]


def customer_from(address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(UserFactory())
    return client


def orders_taking(module, quantities, addresses):
    """Each account (one per address) tries to order its quantity; what was placed."""
    placed = []
    for quantity, address in zip(quantities, addresses, strict=True):
        client = customer_from(address)
        basket_add(client, module, quantity)
        placed.append(checkout_place(client))
    return placed


def test_three_accounts_from_one_ipv6_64_cannot_take_a_modules_whole_stock():
    module = ModuleFactory(stock=5)
    placed = orders_taking(module, [2, 2, 1], ONE_SLASH_64)
    module.refresh_from_db()
    assert placed[0] is not None and placed[1:] == [None, None]
    assert module.stock == 3  # the network holds 2 of 5 (35 %, at least 2)


def test_control_three_accounts_from_three_networks_can_buy_the_whole_stock():
    module = ModuleFactory(stock=5)
    placed = orders_taking(module, [2, 2, 1], THREE_NETWORKS)
    module.refresh_from_db()
    assert None not in placed
    assert module.stock == 0


def test_the_hoard_from_the_penetration_test_is_refused():
    """Three accounts from one address asked for 20 + 20 + 7 of a 47-unit module."""
    module = ModuleFactory(stock=47)
    for quantity in (20, 10):  # 20 % of 47 is 9
        client = customer_from("203.0.113.50")
        basket_add(client, module, quantity)
        assert checkout_place(client) is None
    placed = orders_taking(module, [9, 7, 7], ["203.0.113.50"] * 3)
    module.refresh_from_db()
    assert [order is not None for order in placed] == [True, True, False]
    assert module.stock == 47 - 16  # the network's share: 35 % of 47


def test_the_share_is_of_the_stock_on_sale_including_what_unpaid_orders_hold():
    """Others' holds do not shrink a customer's share; a paid order no longer counts."""
    module = ModuleFactory(stock=50)
    assert orders_taking(module, [10, 10, 10], THREE_NETWORKS).count(None) == 0
    client = customer_from("192.0.2.77")
    basket_add(client, module, 10)  # 20 % of the 50 on sale, though only 20 are free
    order = checkout_place(client)
    assert order is not None
    simulator_pay(client, order, "4242 4242 4242 4242")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    basket_add(client, module, 2)  # 20 % of the 40 on sale now: 8, none held
    assert checkout_place(client) is not None


@pytest.mark.parametrize(
    ("language", "held", "said"),
    [
        ("en", 0, "one customer may hold at most 9 of it in an order awaiting payment"),
        ("fr", 0, "un client peut réserver au plus 9 unités dans une commande en attente"),
        ("en", 5, "you already hold 5. Pay for that order (its reservation ends at {time})"),
        ("fr", 5, "vous en réservez déjà 5. Réglez cette commande (sa réservation prend fin à"),
    ],
)
def test_a_customer_over_their_share_is_told_the_limit_and_nothing_is_reserved(
    language, held, said
):
    module = ModuleFactory(stock=47)
    client = customer_from("192.0.2.1")
    ends = ""
    if held:
        basket_add(client, module, held)
        order = checkout_place(client)
        ends = timezone.localtime(order.created_at + timedelta(minutes=30)).strftime("%H:%M")
    basket_add(client, module, 10 - held)
    # A French shopper delivers to France (the market of /fr/); the page's prices go back.
    address = {**ADDRESS, "country": "FR"} if language == "fr" else ADDRESS
    shown = shown_prices_in(client.get(f"/{language}/checkout/").content.decode())
    response = client.post(f"/{language}/checkout/", {**address, **shown}, follow=True)
    assert response.request["PATH_INFO"] == f"/{language}/basket/"
    assert said.format(time=ends) in response.text
    module.refresh_from_db()
    assert module.stock == 47 - held


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "network may hold at most 16 of it at a time, and those from your network "
            "already hold 9. Some are released at {time} at the latest",
        ),
        (
            "fr",
            "un même réseau peuvent réserver au plus 16 unités à la fois, et celles de "
            "votre réseau en réservent déjà 9. Une partie sera libérée au plus tard à {time}",
        ),
    ],
)
def test_a_network_over_its_share_is_told_the_limit_and_when_it_frees_up(language, said):
    module = ModuleFactory(stock=47)
    placed_at = timezone.now().replace(hour=14, minute=5, second=0, microsecond=0)
    with time_machine.travel(placed_at, tick=False):
        assert orders_taking(module, [9], ["2001:db8:9:9::1"]) != [None]
    with time_machine.travel(placed_at + timedelta(minutes=10), tick=False):
        neighbour = customer_from("2001:db8:9:9::abcd")
        basket_add(neighbour, module, 9)
        address = {**ADDRESS, "country": "FR"} if language == "fr" else ADDRESS
        shown = shown_prices_in(neighbour.get(f"/{language}/checkout/").content.decode())
        response = neighbour.post(f"/{language}/checkout/", {**address, **shown}, follow=True)
    frees = timezone.localtime(placed_at + timedelta(minutes=30)).strftime("%H:%M")
    assert said.format(time=frees) in response.text
    with time_machine.travel(placed_at + timedelta(minutes=31), tick=False):
        # the first hold ran out
        assert checkout_place(neighbour, country=address["country"]) is not None


def test_networks_are_ipv4_addresses_and_ipv6_64s():
    assert client_network("2001:db8:5:7:1:2:3:4") == "2001:db8:5:7::/64"
    assert client_ip_hash(ONE_SLASH_64[0]) == client_ip_hash(ONE_SLASH_64[2])
    assert client_ip_hash(THREE_NETWORKS[0]) != client_ip_hash(THREE_NETWORKS[1])
    assert client_ip_hash("::ffff:198.51.100.4") == client_ip_hash("198.51.100.4")
    assert client_ip_hash("198.51.100.4") != client_ip_hash("198.51.100.5")
    assert client_ip_hash("") == ""


def deploy_warnings(capsys) -> str:
    call_command("check", "--deploy", "--fail-level", "CRITICAL")
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_check_deploy_warns_when_no_proxy_is_trusted(settings, capsys):
    settings.DEBUG = False
    settings.TEST_SHOP = True  # the simulator is accepted: only the proxy is in question
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert "shop.W002" in deploy_warnings(capsys)


def test_control_check_deploy_is_quiet_with_a_trusted_proxy(settings, capsys):
    settings.DEBUG = False
    settings.TEST_SHOP = True
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert "shop.W002" not in deploy_warnings(capsys)


def watch(requests, settings, caplog) -> list[str]:
    """Run the requests through a fresh watch (one process's); what it logged."""
    watcher = TrustedProxyWatchMiddleware(lambda request: None)
    with caplog.at_level(logging.WARNING, logger="offtek.proxy"):
        for request in requests:
            watcher(request)
    return [record.getMessage() for record in caplog.records if record.name == "offtek.proxy"]


def proxied(count, *, remote="10.0.0.2", forwarded="203.0.113.7"):
    factory = RequestFactory()
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return [factory.get("/", REMOTE_ADDR=remote, **extra) for _ in range(count)]


def test_requests_that_all_come_from_one_private_proxy_are_logged_once(settings, caplog):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    logged = watch(proxied(120), settings, caplog)
    assert len(logged) == 1
    assert "10.0.0.2" in logged[0] and "DJANGO_TRUSTED_PROXY_COUNT" in logged[0]


@pytest.mark.parametrize(
    ("count", "requests"),
    [
        (1, proxied(120)),  # the proxy is trusted: the header is read
        (0, proxied(120, forwarded="")),  # no header: served directly
        (0, proxied(120, remote="81.2.69.142")),  # a public address is a customer
        (0, proxied(49) + proxied(1, remote="10.0.0.3") + proxied(49)),  # no run of 50
    ],
)
def test_control_the_watch_stays_quiet(settings, caplog, count, requests):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count
    assert watch(requests, settings, caplog) == []
