"""Security headers on every page, public and account, English and French, and on an
error page: HSTS as production sets it, a per-response CSP nonce carried by every
script, no framing, nosniff and a referrer policy."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from privacy.tests.factories import UserFactory
from shop.tests.factories import ModuleFactory, SystemFactory
from shop.tests.factories_orders import AddressFactory, paid_order
from tests.security.production import manage, production_env

pytestmark = pytest.mark.django_db

PRODUCTION_HTTPS = (
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
)
PUBLIC = [
    ("shop:home", {}),
    ("shop:module-list", {}),
    ("shop:finder", {}),
    ("shop:search", {}),
    ("shop:basket-detail", {}),
    ("privacy:policy", {}),
    ("privacy:cookies", {}),
    ("privacy:contact", {}),
    ("account_login", {}),
    ("account_signup", {}),
    ("account_reset_password", {}),
]
ACCOUNT = [
    ("privacy:account-detail", {}),
    ("privacy:profile", {}),
    ("privacy:export", {}),
    ("privacy:preferences", {}),
    ("privacy:security-log", {}),
    ("shop:address-list", {}),
    ("shop:address-add", {}),
    ("shop:order-list", {}),
    ("account_change_password", {}),
    ("account_email", {}),
]
SCRIPT = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
NONCE = re.compile(r"'nonce-([^']+)'")


@pytest.fixture(scope="module")
def production_https():
    """The HTTPS settings as production computes them (a subprocess in production mode)."""
    names = ", ".join(f"'{name}': s.{name}" for name in PRODUCTION_HTTPS)
    code = f"import json; from django.conf import settings as s; print(json.dumps({{{names}}}))"
    result = manage("shell", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def as_production(settings, production_https):
    for name, value in production_https.items():
        setattr(settings, name, value)
    return production_https


def page_urls(lang):
    module = ModuleFactory(stock=3)
    system = SystemFactory()
    owner = UserFactory()
    order = paid_order(user=owner)
    address = AddressFactory(user=owner)
    named = PUBLIC + [
        ("shop:module-detail", {"slug": module.slug}),
        ("shop:system-detail", {"slug": system.slug}),
    ]
    own = ACCOUNT + [
        ("shop:order-detail", {"number": order.number}),
        ("shop:address-edit", {"address_id": address.pk}),
    ]
    public = [reverse(name, kwargs=kwargs).replace("/en/", f"/{lang}/") for name, kwargs in named]
    account = [reverse(name, kwargs=kwargs).replace("/en/", f"/{lang}/") for name, kwargs in own]
    return owner, public, account


def assert_secure_headers(response, url):
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    ), url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp or response["X-Frame-Options"] == "DENY", url
    assert "'unsafe-inline'" not in csp, url
    nonces = NONCE.findall(csp)
    html = response.content.decode()
    scripts = SCRIPT.findall(html)
    # A page that loads no script needs no nonce (the policy then allows only 'self').
    assert nonces or not scripts, f"{url}: scripts but no nonce in {csp}"
    for tag in scripts:
        assert f'nonce="{nonces[0]}"' in tag, f"{url}: {tag} lacks this response's nonce"
    return (nonces[0] if nonces else None), scripts


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_sends_the_security_headers(as_production, lang):
    owner, public, account = page_urls(lang)
    assert as_production["SECURE_SSL_REDIRECT"]
    client = Client()
    assert client.get(public[0]).status_code == 301  # plain HTTP goes to HTTPS
    scripts_seen = 0
    for url in public:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        scripts_seen += len(assert_secure_headers(response, url)[1])
    client.force_login(owner)
    for url in account:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        scripts_seen += len(assert_secure_headers(response, url)[1])
    assert scripts_seen, "no page loaded a script: the nonce check above checked nothing"


def test_an_error_page_sends_them_too(as_production):
    response = Client().get("/fr/no-such-page/", secure=True)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert_secure_headers(response, "404")


def test_the_nonce_changes_with_every_response(as_production):
    ModuleFactory(stock=3)
    url = reverse("shop:finder")  # a page that loads a script
    client = Client()
    first, first_scripts = assert_secure_headers(client.get(url, secure=True), url)
    second, second_scripts = assert_secure_headers(client.get(url, secure=True), url)
    assert first != second
    assert first_scripts and second_scripts
