"""The shoppers of bench/load.py (and bench/cluster.py): the behaviour of one signed-in
shopper (browse, basket, checkout, pay) on top of the benchmarks' one HTTP client
(bench/client.py)."""

import random
import re
from dataclasses import dataclass, field

from bench.client import Browser, ConnectionLost

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
        return self.browser.sign_in(email, password)

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
                "/en/checkout/", {**ADDRESS, **self.browser.shown_prices}, "checkout place"
            )
            mine, other_order = ORDER_IN_PATH.search(path), ORDER_IN_PATH.search(other)
            if mine and other_order and other_order[1] != mine[1]:
                attempt.extra_orders.append(other_order[1])
        else:
            path, status, text = self.browser.post(
                "/en/checkout/", {**ADDRESS, **self.browser.shown_prices}, "checkout place"
            )
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
