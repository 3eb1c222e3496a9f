"""The Stripe pay page in Chromium, under the shop's Content Security Policy.

Stripe.js cannot be fetched here, so a stand-in `v3` script is served from
127.0.0.1 and allowed by the same policy shape as production (offtek.csp, with the
stand-in's origin in Stripe's places). It proves the page's own script runs (it mounts
the Payment Element and hands confirmPayment the return URL), that the return page
handles each `redirect_status` Stripe.js reports while the server asks Stripe (the
strict fake) what really happened, and that a Stripe.js that fails to load leaves a
visible message and a retry, not a form that does nothing."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils.csp import CSP
from playwright.sync_api import expect

from offtek.csp import csp_policy
from privacy.tests.factories import PASSWORD, UserFactory
from shop.checkout.services import DeliveryAddress, order_place
from shop.tests.factories import ModuleFactory
from shop.tests.factories_orders import BasketFactory, BasketLineFactory
from shop.tests.stripe_fake import API_KEY, FakeStripe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = DeliveryAddress(
    name="Ada Lovelace", line1="1 Road", line2="", city="London", postcode="N1 1AA", country="GB"
)

# What Stripe.js offers the page, no more: Stripe(), elements(), create().mount() and
# confirmPayment(), which sends the customer to the return URL as Stripe does.
STANDIN_V3 = """
(function () {
  "use strict";
  window.Stripe = function (key, options) {
    return {
      elements: function (opts) {
        return {
          clientSecret: opts.clientSecret,
          create: function (type) {
            return {
              mount: function (selector) {
                var node = document.querySelector(selector);
                node.setAttribute("data-mounted", type);
                node.setAttribute("data-locale", options.locale);
                node.textContent = "Stand-in " + type + " element";
                // As the Payment Element does: a frame from Stripe.js's host, and a
                // call to Stripe's API; both need the policy's Stripe entries.
                var frame = document.createElement("iframe");
                frame.src = "%(origin)s/elements-inner";
                frame.title = "Stand-in card form";
                node.appendChild(frame);
                fetch("%(origin)s/v1/elements/sessions").then(
                  function () { node.setAttribute("data-session", "ok"); },
                  function () { node.setAttribute("data-session", "blocked"); }
                );
              }
            };
          }
        };
      },
      confirmPayment: function (args) {
        var secret = args.elements.clientSecret;
        var query = "?payment_intent=" + secret.split("_secret_")[0] +
          "&payment_intent_client_secret=" + encodeURIComponent(secret) +
          "&redirect_status=%(status)s";
        window.location.assign(args.confirmParams.return_url + query);
        return new Promise(function () {});
      }
    };
  };
})();
"""


class StandIn:
    """Serves the stand-in `/v3/` on 127.0.0.1 (or a 404, while `broken`)."""

    def __init__(self):
        self.redirect_status = "succeeded"
        self.broken = False
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.startswith("/v3/") and not standin.broken:
                    values = {"status": standin.redirect_status, "origin": standin.origin}
                    body, kind = (STANDIN_V3 % values).encode(), "application/javascript"
                elif self.path == "/elements-inner":
                    body, kind = b"<!DOCTYPE html><p>card form</p>", "text/html"
                elif self.path == "/v1/elements/sessions":
                    body, kind = b"{}", "application/json"
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Content-Type", kind)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stripe_page(settings, live_server, page):
    fake = FakeStripe()
    fake.start()
    standin = StandIn()
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = API_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_offtek"
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_JS_URL = f"{standin.origin}/v3/"
    # Production's policy shape, with the stand-in where Stripe's hosts are.
    settings.SECURE_CSP = csp_policy(
        stripe={"js": [standin.origin], "api": [standin.origin], "hooks": [standin.origin]}
    )
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield fake, standin, violations
    standin.stop()
    fake.stop()


def _order_on_pay_page(page, base):
    user = UserFactory(language="en")
    basket = BasketFactory(user=user)
    BasketLineFactory(basket=basket, module=ModuleFactory(stock=5, price_pence=2000), quantity=2)
    order = order_place(user=user, basket=basket, address=ADDRESS, delivery_code="standard")
    page.goto(f"{base}/en/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(base + reverse("shop:checkout-pay", kwargs={"number": order.number}))
    return order


@pytest.mark.parametrize(
    ("redirect_status", "card", "heading", "hint"),
    [
        ("succeeded", "pm_card_gb", "Thank you, your order is paid", None),
        ("processing", "pm_card_gb_processing", "Your payment is being processed", None),
        (
            "requires_payment_method",
            "pm_card_chargeDeclined",
            "Your payment did not go through",
            None,
        ),
        # Stripe.js says succeeded but Stripe has not: the page waits and says why.
        (
            "succeeded",
            None,
            "We are waiting for your payment",
            "Your payment succeeded. We are confirming your order…",
        ),
    ],
)
def test_the_pay_page_script_runs_and_the_return_page_handles_redirect_status(
    live_server, page, stripe_page, artifacts_dir, redirect_status, card, heading, hint
):
    fake, standin, violations = stripe_page
    standin.redirect_status = redirect_status
    order = _order_on_pay_page(page, live_server.url)

    element = page.locator("#payment-element")
    expect(element).to_have_attribute("data-mounted", "payment")
    expect(element).to_have_attribute("data-locale", "en")
    expect(element).to_have_attribute("data-session", "ok")  # connect-src allows the API
    expect(page.frame_locator("#payment-element iframe").locator("p")).to_have_text("card form")
    expect(page.get_by_test_id("stripe-unavailable")).to_be_hidden()
    payment = order.payments.get()
    if card:
        fake.confirm(payment.reference, card)  # what Stripe does when the card is sent
    page.locator("#payment-submit").click()

    expect(page.get_by_test_id("outcome")).to_have_text(heading)
    assert f"redirect_status={redirect_status}" in page.url
    if hint:
        expect(page.get_by_test_id("redirect-status")).to_have_text(hint)
    page.screenshot(path=artifacts_dir / f"stripe-return-{redirect_status}.png", full_page=True)
    assert violations == []


def test_stripe_js_that_fails_to_load_shows_a_message_and_a_retry(
    live_server, page, stripe_page, artifacts_dir
):
    _fake, standin, violations = stripe_page
    standin.broken = True
    _order_on_pay_page(page, live_server.url)

    unavailable = page.get_by_test_id("stripe-unavailable")
    expect(unavailable).to_be_visible()
    expect(unavailable).to_contain_text("The card form could not be loaded")
    expect(page.locator("#payment-submit")).to_be_disabled()
    page.screenshot(path=artifacts_dir / "stripe-unavailable.png", full_page=True)

    standin.broken = False  # the network is back
    page.get_by_role("button", name="Try again").click()

    expect(page.locator("#payment-element")).to_have_attribute("data-mounted", "payment")
    expect(unavailable).to_be_hidden()
    assert violations == []


def test_control_without_stripes_entries_in_the_policy_the_element_is_blocked(
    settings, live_server, page, stripe_page
):
    """Control: the policy's frame and connect entries are what let the Payment
    Element work; without them the browser blocks its frame and its API call."""
    _fake, standin, violations = stripe_page
    policy = csp_policy(stripe={"js": [standin.origin], "api": [], "hooks": []})
    policy["frame-src"] = [CSP.SELF]
    settings.SECURE_CSP = policy
    _order_on_pay_page(page, live_server.url)

    element = page.locator("#payment-element")
    expect(element).to_have_attribute("data-mounted", "payment")
    expect(element).to_have_attribute("data-session", "blocked")
    assert any("frame-src" in v for v in violations)
    assert any("connect-src" in v for v in violations)
