"""The shoppers of bench/load.py: a small HTTP client that keeps its own cookies and
CSRF token, and the behaviour of one shopper (browse, basket, checkout, pay).

The shop runs in production mode behind an imagined TLS proxy: every request says
`X-Forwarded-Proto: https` and `X-Forwarded-For: <the shopper's address>` (as the proxy
would) and, for forms, an `Origin` that matches, so the
secure cookies and the CSRF origin check work as they do in production. The client
keeps cookies itself, ignoring their Secure flag, because the socket is plain HTTP."""

import http.client
import random
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LINE_FORM = re.compile(r'action="(/en/basket/lines/(\d+)/)"')
OUTCOME = re.compile(r'data-testid="outcome" data-status="([a-z_]+)"')
ORDER_IN_PATH = re.compile(r"/en/checkout/([A-Z0-9-]+)/")

# Card scenarios of the simulator (Stripe's published test cards), with their share
# of purchases and what the shopper does on the 3-D Secure page. "abandon" leaves the
# card form unpaid: the order waits for the abandoned-order release.
CARDS = [
    # (name, share, card number, 3-D Secure decision, statuses the order may end in)
    ("frictionless", 50, "4242424242424242", "", {"paid", "held_for_review"}),
    ("3ds-approve", 15, "4000002760003184", "approve", {"paid", "held_for_review"}),
    ("3ds-fail", 5, "4000002760003184", "fail", {"cancelled"}),
    ("3ds-insufficient", 4, "4000008260003178", "approve", {"cancelled"}),
    ("declined", 10, "4000000000000002", "", {"cancelled"}),
    ("insufficient", 6, "4000000000009995", "", {"cancelled"}),
    ("abandon", 10, "", "", {"pending_payment"}),
]
SEARCH_TERMS = ["DDR4", "DDR5", "16GB", "SODIMM", "Latitude", "ThinkPad", "Kingston", "ECC"]
ADDRESS = {
    "name": "Load Test",
    "line1": "1 Bench Street",
    "line2": "",
    "city": "London",
    "postcode": "N1 1AA",
    "country": "GB",
    "phone": "",
    "delivery": "standard",
}


class ConnectionLost(Exception):
    """The server closed the connection without an answer (a killed worker)."""


class TimeUp(Exception):
    """The run's time is over: the shopper leaves wherever they are (a checkout left
    half-way is an abandoned order, which the reconciliation must clean up)."""


@dataclass
class Sample:
    label: str
    status: int  # 0: no answer (connection reset, refused, timed out)
    seconds: float


@dataclass
class Attempt:
    """One checkout as the shopper saw it."""

    card: str
    order_number: str = ""
    seen_status: str = ""
    expected: frozenset = frozenset()
    note: str = ""
    # Orders a double click on "Place order" made beside order_number (should be none).
    extra_orders: list[str] = field(default_factory=list)


@dataclass
class Record:
    samples: list[Sample] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)


class Browser:
    def __init__(
        self, port: int, record: Record, timeout: float = 60, stop_at: float = 0, address=""
    ):
        self.port = port
        # The shopper's address as the proxy would append it to X-Forwarded-For (the
        # documentation range 203.0.113.0/24: a header value only, never connected to).
        self.address = address
        self.stop_at = stop_at  # time.monotonic() after which no request starts
        self.record = record
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method: str, path: str, label: str, form: dict | None = None):
        """One request, no redirect followed. Returns (status, location, body)."""
        if self.stop_at and time.monotonic() > self.stop_at:
            raise TimeUp
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
        }
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.record.samples.append(Sample(label, 0, time.perf_counter() - started))
            raise ConnectionLost(f"{method} {path}: {error!r}") from error
        finally:
            connection.close()
        self.record.samples.append(Sample(label, response.status, time.perf_counter() - started))
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        match = CSRF.search(text)
        if match:
            self.token = match[1]
        location = urllib.parse.urlparse(response.getheader("Location") or "")
        target = location.path + (f"?{location.query}" if location.query else "")
        return response.status, target, text

    def get(self, path: str, label: str):
        return self.follow(*self.request("GET", path, label), label)

    def post(self, path: str, form: dict, label: str):
        return self.follow(*self.request("POST", path, label, form), label)

    def post_twice(self, path: str, form: dict, label: str):
        """A double click: the same form posted twice at once with the same cookies.
        Follows the first answer; returns it and the redirect target of the second."""
        second: list = []

        def click():
            try:
                second.append(self.request("POST", path, label + " (double click)", form)[1])
            except (ConnectionLost, TimeUp):
                second.append("")

        thread = threading.Thread(target=click)
        thread.start()
        try:
            first = self.follow(*self.request("POST", path, label, form), label)
        finally:
            thread.join()
        return first, second[0]

    def follow(self, status, location, text, label):
        """Follow redirects with GET; returns (final path, status, body)."""
        path = ""
        hops = 0
        while status in (301, 302, 303) and location and hops < 5:
            path = location
            status, location, text = self.request("GET", path, label + " (redirect)")
            hops += 1
        return path, status, text


class Shopper:
    """One signed-in customer. `catalog` holds the module ids, module and system paths
    chosen in the database; `hot` the module ids with only a few units in stock."""

    def __init__(
        self, browser: Browser, catalog: dict, rng: random.Random, double_clicks: float = 0.1
    ):
        self.browser = browser
        self.catalog = catalog
        self.rng = rng
        self.double_clicks = double_clicks  # share of forms posted twice at once

    def sign_in(self, email: str, password: str) -> bool:
        self.browser.get("/en/accounts/login/", "sign in")
        path, _status, _text = self.browser.post(
            "/en/accounts/login/", {"login": email, "password": password}, "sign in"
        )
        return "/accounts/login/" not in path

    def browse(self) -> None:
        rng, catalog, get = self.rng, self.catalog, self.browser.get
        kind = rng.choice(["list", "list-filtered", "finder", "system", "module", "search"])
        if kind == "list":
            get(f"/en/memory/?page={rng.randint(1, 5)}", "catalog list")
        elif kind == "list-filtered":
            get("/en/memory/?generation=DDR4&form_factor=SODIMM&in_stock=on", "catalog list")
        elif kind == "finder":
            get("/en/finder/", "finder")
        elif kind == "system":
            get(rng.choice(catalog["system_paths"]), "finder result")
        elif kind == "module":
            get(rng.choice(catalog["module_paths"]), "module page")
        else:
            get(f"/en/search/?q={rng.choice(SEARCH_TERMS)}", "search")

    def basket_empty(self) -> None:
        _path, _status, text = self.browser.get("/en/basket/", "basket")
        for action, _line_id in LINE_FORM.findall(text):
            self.browser.post(action + "remove/", {}, "basket remove")

    def basket_fill(self) -> bool:
        """Add one or two modules (mostly the scarce ones); sometimes change a quantity.
        Returns False when nothing could be added (sold out)."""
        rng = self.rng
        self.basket_empty()
        scarce = rng.random() < 0.7
        pool = self.catalog["hot_ids"] if scarce else self.catalog["module_ids"]
        for module_id in rng.sample(pool, k=rng.choice([1, 1, 2])):
            form = {"module": module_id, "quantity": rng.choice([1, 1, 2])}
            if rng.random() < self.double_clicks:
                self.browser.post_twice("/en/basket/add/", form, "basket add")
            else:
                self.browser.post("/en/basket/add/", form, "basket add")
        _path, _status, text = self.browser.get("/en/basket/", "basket")
        lines = LINE_FORM.findall(text)
        if lines and rng.random() < 0.3:
            action, _line_id = rng.choice(lines)
            self.browser.post(action, {"quantity": rng.choice([1, 2, 3])}, "basket update")
        return bool(lines)

    def buy(self) -> Attempt:
        """Check out what is in the basket and pay with a card picked by share."""
        rng = self.rng
        name, _share, number, decision, expected = rng.choices(CARDS, [c[1] for c in CARDS])[0]
        attempt = Attempt(card=name, expected=frozenset(expected))
        self.browser.record.attempts.append(attempt)  # kept even if a worker dies
        self.browser.get("/en/checkout/", "checkout")
        try:
            return self._buy(attempt, number, decision)
        except ConnectionLost:
            attempt.note = "cut off (no answer)"
            raise

    def _buy(self, attempt: Attempt, number: str, decision: str) -> Attempt:
        rng = self.rng
        if rng.random() < self.double_clicks:
            (path, status, text), other = self.browser.post_twice(
                "/en/checkout/", ADDRESS, "checkout place"
            )
            mine, other_order = ORDER_IN_PATH.search(path), ORDER_IN_PATH.search(other)
            if mine and other_order and other_order[1] != mine[1]:
                attempt.extra_orders.append(other_order[1])
        else:
            path, status, text = self.browser.post("/en/checkout/", ADDRESS, "checkout place")
        found = ORDER_IN_PATH.search(path)
        if not found:
            attempt.note = "not placed (sold out or basket empty)"
            return attempt
        attempt.order_number = found[1]
        if "/simulator/" not in path:
            attempt.note = f"no card form ({path}, {status})"
            return attempt
        if not number:
            return attempt  # walks away from the card form
        card = {"number": number, "expiry": "12/39", "cvc": "123"}
        if rng.random() < self.double_clicks:
            (path, status, text), _other = self.browser.post_twice(path, card, "pay card")
        else:
            path, status, text = self.browser.post(path, card, "pay card")
        if path.endswith("/3ds/"):
            path, status, text = self.browser.post(path, {"decision": decision}, "pay 3-D Secure")
        seen = OUTCOME.search(text)
        if seen and seen[1] == "pending_payment":
            attempt.note = "shown 'waiting for your payment' after paying"
        attempt.seen_status = seen[1] if seen else ""
        if attempt.seen_status == "cancelled" and rng.random() < 0.3:
            self.browser.post(f"/en/checkout/{attempt.order_number}/rebasket/", {}, "rebasket")
        return attempt

    def visit(self) -> None:
        """A few catalog pages, then (most times) a purchase."""
        for _page in range(self.rng.randint(1, 4)):
            self.browse()
        if self.rng.random() < 0.75 and self.basket_fill():
            self.buy()
