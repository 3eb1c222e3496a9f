"""A small, stateful fake of the parts of Stripe's HTTP API the shop uses, served on
127.0.0.1 so the real `stripe` SDK runs unmodified against it; plus webhook signing
with Stripe's real scheme (t=..., v1=HMAC-SHA256(secret, "t.payload")).

It is as strict as Stripe where the shop could be kinder than Stripe allows:
objects shaped as Stripe's (shop.tests.stripe_objects), ids unless `expand[]` asks,
unknown parameters and unexpandable fields refused, idempotency keys that refuse other
parameters, declines as 402 card errors, `requires_action` with the use_stripe_sdk
hash, `processing`, refunds that are pending and then succeed or fail, and 429
answers with `Stripe-Should-Retry` when told to throttle."""

import copy
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

from shop.tests import stripe_objects as so
from shop.tests.stripe_fake_outside import OutsideTheApi
from shop.tests.stripe_requests import EXPANDABLE, PARAMS, nest

API_KEY = "sk_test_offtek"


class FakeStripe(OutsideTheApi):
    def __init__(self):
        self.objects: dict[str, dict] = {}  # every object by id, as Stripe would return it
        self.cards: dict[str, so.TestCard] = {}  # the fake's own state, never returned
        self.idempotent: dict[str, tuple[str, int, dict]] = {}
        self.requests: list[dict] = []
        self.responses: list[dict] = []  # every body served, for the shape test
        self.throttle: list[bool] = []  # next answers are 429, Stripe-Should-Retry: each
        self.refund_status = "pending"  # what a new refund starts as
        self.lock = threading.RLock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def intents(self) -> dict[str, dict]:
        return {k: v for k, v in self.objects.items() if v["object"] == "payment_intent"}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _reply(self, status: int, body: dict, headers: dict | None = None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", so.new_id("req"))
                self.send_header("Stripe-Version", so.API_VERSION)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str):
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else url.query
                params = nest(parse_qsl(raw, keep_blank_values=True))
                key = self.headers.get("Idempotency-Key")
                with fake.lock:
                    fake.requests.append(
                        {
                            "method": method,
                            "path": url.path,
                            "params": params,
                            "idempotency_key": key,
                            "stripe_version": self.headers.get("Stripe-Version"),
                        }
                    )
                    if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                        return self._reply(401, so.error_body("Invalid API Key provided"))
                    if fake.throttle:
                        retry = fake.throttle.pop(0)
                        body = so.error_body(
                            "Too many requests hit the API too quickly.", code="rate_limit"
                        )
                        headers = {"Stripe-Should-Retry": "true" if retry else "false"}
                        return self._reply(429, body, headers)
                    fingerprint = json.dumps([method, url.path, params], sort_keys=True)
                    if method == "POST" and key and key in fake.idempotent:
                        first, status, body = fake.idempotent[key]
                        if first != fingerprint:
                            return self._reply(400, _idempotency_error(key))
                        return self._reply(status, body, {"Idempotent-Replayed": "true"})
                    status, body = fake.route(method, url.path, params)
                    if method == "POST" and key and status < 500:
                        fake.idempotent[key] = (fingerprint, status, body)
                    fake.responses.append(copy.deepcopy(body))
                return self._reply(status, body)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        return Handler

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    # --- the API ---------------------------------------------------------------

    def route(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        parts = path.strip("/").split("/")[1:]  # after v1
        resource, rest = (parts[0] if parts else ""), parts[1:]
        if resource == "payment_intents":
            if not rest and method == "POST":
                return self._checked(("POST", "payment_intents"), params, self._intent_create)
            return self._intent_route(method, rest, params)
        if resource in ("charges", "payment_methods") and len(rest) == 1 and method == "GET":
            return self._checked(("GET", "one"), params, lambda p: self._one(rest[0], resource, p))
        if resource == "refunds":
            if not rest and method == "POST":
                return self._checked(("POST", "refunds"), params, self._refund_create)
            if not rest and method == "GET":
                return self._checked(("GET", "list"), params, self._refund_list)
            if len(rest) == 1 and method == "GET":
                return self._checked(
                    ("GET", "one"), params, lambda p: self._one(rest[0], "refunds", p)
                )
        return 404, so.error_body(f"Unrecognized request URL ({method}: {path}).")

    def _checked(self, endpoint, params: dict, action) -> tuple[int, dict]:
        for name in params:
            if name not in PARAMS[endpoint]:
                return 400, so.error_body(
                    f"Received unknown parameter: {name}", code="parameter_unknown", param=name
                )
        return action(params)

    def _one(self, object_id: str, resource: str, params: dict) -> tuple[int, dict]:
        obj = self.objects.get(object_id)
        kind = {
            "charges": "charge",
            "payment_methods": "payment_method",
            "refunds": "refund",
            "payment_intents": "payment_intent",
        }[resource]
        if obj is None or obj["object"] != kind:
            return 404, so.error_body(
                f"No such {kind}: '{object_id}'", code="resource_missing", param="id"
            )
        return self._expanded(obj, params.get("expand") or [])

    def _expanded(self, obj: dict, paths: list[str]) -> tuple[int, dict]:
        body = copy.deepcopy(obj)
        for index, path in enumerate(paths):
            node = body
            for name in path.split("."):
                kind = node.get("object")
                if name not in EXPANDABLE.get(kind, ()):
                    return 400, so.error_body(
                        f"This property cannot be expanded ({name}).",
                        param=f"expand[{index}]",
                    )
                value = node.get(name)
                if name == "refunds" and kind == "charge":
                    refunds = [
                        r
                        for r in self.objects.values()
                        if r["object"] == "refund" and r["charge"] == node["id"]
                    ]
                    node[name] = so.list_of(refunds, f"/v1/charges/{node['id']}/refunds")
                elif isinstance(value, str):
                    node[name] = copy.deepcopy(self.objects[value])
                if not isinstance(node[name], dict):
                    break
                node = node[name]
        return 200, body

    def _intent_route(self, method: str, rest: list[str], params: dict) -> tuple[int, dict]:
        intent = self.objects.get(rest[0]) if rest else None
        if intent is None or intent["object"] != "payment_intent":
            return 404, so.error_body(
                f"No such payment_intent: '{rest[0] if rest else ''}'",
                code="resource_missing",
                param="intent",
            )
        if len(rest) == 1 and method == "GET":
            return self._checked(
                ("GET", "one"), params, lambda p: self._expanded(intent, p.get("expand") or [])
            )
        if len(rest) == 2 and rest[1] == "confirm" and method == "POST":
            return self._checked(
                ("POST", "confirm"), params, lambda p: self._intent_confirm(intent, p)
            )
        if len(rest) == 2 and rest[1] == "cancel" and method == "POST":
            return self._checked(
                ("POST", "cancel"), params, lambda p: self._intent_cancel(intent, p)
            )
        return 404, so.error_body(f"Unrecognized request URL ({method}).")

    def _intent_create(self, params: dict) -> tuple[int, dict]:
        for name in ("amount", "currency"):
            if name not in params:
                return 400, so.error_body(
                    f"Missing required param: {name}.", code="parameter_missing", param=name
                )
        if not params["amount"].isdigit():
            return 400, so.error_body(
                "Invalid integer: " + params["amount"],
                code="parameter_invalid_integer",
                param="amount",
            )
        if int(params["amount"]) < 30:
            return 400, so.error_body(
                "Amount must be at least £0.30 gbp", code="amount_too_small", param="amount"
            )
        intent = so.payment_intent(
            amount=int(params["amount"]),
            currency=params["currency"].lower(),
            metadata=params.get("metadata") or {},
            description=params.get("description"),
        )
        self.objects[intent["id"]] = intent
        return 200, copy.deepcopy(intent)

    def _intent_confirm(self, intent: dict, params: dict) -> tuple[int, dict]:
        if intent["status"] not in ("requires_payment_method", "requires_confirmation"):
            return 400, so.error_body(
                "You cannot confirm this PaymentIntent because it has a status of "
                f"{intent['status']}.",
                code="payment_intent_unexpected_state",
                payment_intent=copy.deepcopy(intent),
            )
        pm_token = params.get("payment_method", "")
        card = so.TEST_CARDS.get(pm_token)
        if card is None:
            return 400, so.error_body(
                f"No such PaymentMethod: '{pm_token}'",
                code="resource_missing",
                param="payment_method",
            )
        pm = so.payment_method(so.new_id("pm"), card)
        self.objects[pm["id"]] = pm
        self.cards[intent["id"]] = card
        intent.update(last_payment_error=None, next_action=None, payment_method=pm["id"])
        if card.outcome == "requires_action":
            intent["status"] = "requires_action"
            intent["next_action"] = {
                "type": "use_stripe_sdk",
                "use_stripe_sdk": so.use_stripe_sdk(card),
            }
        elif card.outcome == "processing":
            intent["status"] = "processing"
            intent["processing"] = {"card": {}, "type": "card"}
        elif card.outcome.startswith("decline:"):
            return self._decline(intent, pm, card, card.outcome.split(":", 1)[1])
        else:
            self._succeed(intent, pm, card)
        return 200, copy.deepcopy(intent)

    def _intent_cancel(self, intent: dict, params: dict) -> tuple[int, dict]:
        if intent["status"] in ("succeeded", "canceled", "processing"):
            return 400, so.error_body(
                "You cannot cancel this PaymentIntent because it has a status of "
                f"{intent['status']}.",
                code="payment_intent_unexpected_state",
            )
        intent.update(
            status="canceled",
            canceled_at=so.now(),
            next_action=None,
            cancellation_reason=params.get("cancellation_reason"),
        )
        return 200, copy.deepcopy(intent)

    def _succeed(self, intent: dict, pm: dict, card: so.TestCard):
        ch = so.charge(intent, pm, card)
        self.objects[ch["id"]] = ch
        txn = so.balance_transaction(ch["balance_transaction"], ch)
        self.objects[txn["id"]] = txn
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=ch["id"],
            next_action=None,
            processing=None,
            last_payment_error=None,
        )

    def _decline(self, intent: dict, pm: dict, card: so.TestCard, code: str) -> tuple[int, dict]:
        ch = so.charge(intent, pm, card, decline=code)
        self.objects[ch["id"]] = ch
        error = so.error_body(
            so.DECLINE_MESSAGES[code],
            kind="card_error",
            code="card_declined",
            decline_code=code,
            charge=ch["id"],
            payment_method=copy.deepcopy(pm),
        )["error"]
        intent.update(
            status="requires_payment_method",
            latest_charge=ch["id"],
            payment_method=None,
            next_action=None,
            processing=None,
            last_payment_error=error,
        )
        return 402, {"error": {**error, "payment_intent": copy.deepcopy(intent)}}

    def _refund_create(self, params: dict) -> tuple[int, dict]:
        intent = self.objects.get(params.get("payment_intent", ""))
        if intent is None or intent["object"] != "payment_intent":
            return 400, so.error_body(
                "No such payment_intent", code="resource_missing", param="payment_intent"
            )
        if intent["status"] != "succeeded":
            return 400, so.error_body(
                "This PaymentIntent does not have a successful charge to refund.",
                code="charge_not_refundable",
                param="payment_intent",
            )
        ch = self.objects[intent["latest_charge"]]
        committed = sum(
            r["amount"]
            for r in self.objects.values()
            if r["object"] == "refund" and r["charge"] == ch["id"] and r["status"] != "failed"
        )
        amount = int(params.get("amount") or ch["amount"] - committed)
        if amount <= 0 or committed + amount > ch["amount"]:
            return 400, so.error_body(
                f"Refund amount (£{amount / 100:.2f}) is greater than unrefunded amount on "
                f"charge (£{(ch['amount'] - committed) / 100:.2f})",
                code="amount_too_large",
                param="amount",
            )
        card = self.cards[intent["id"]]
        status = "succeeded" if card.refund_fails else self.refund_status
        re = so.refund(
            charge_obj=ch,
            amount=amount,
            status=status,
            reason=params.get("reason"),
            metadata=params.get("metadata"),
        )
        self.objects[re["id"]] = re
        self._charge_refunded_update(ch)
        return 200, copy.deepcopy(re)

    def _charge_refunded_update(self, ch: dict):
        done = sum(
            r["amount"]
            for r in self.objects.values()
            if r["object"] == "refund" and r["charge"] == ch["id"] and r["status"] == "succeeded"
        )
        ch.update(amount_refunded=done, refunded=done == ch["amount"])

    def _refund_list(self, params: dict) -> tuple[int, dict]:
        found = [
            copy.deepcopy(r)
            for r in self.objects.values()
            if r["object"] == "refund"
            and (not params.get("charge") or r["charge"] == params["charge"])
            and (
                not params.get("payment_intent") or r["payment_intent"] == params["payment_intent"]
            )
        ]
        found.sort(key=lambda r: r["created"], reverse=True)
        return 200, so.list_of(found[: int(params.get("limit") or 10)], "/v1/refunds")


def _idempotency_error(key: str) -> dict:
    return so.error_body(
        "Keys for idempotent requests can only be used with the same parameters they were "
        f"first used with. Try using a key other than '{key}' if you meant to execute a "
        "different request.",
        kind="idempotency_error",
    )


def event_payload(kind: str, obj: dict, *, event_id: str | None = None, previous=None) -> str:
    """A webhook event as Stripe sends it, around `obj` (which must be a real-shaped
    object: nothing private, no extra field)."""
    assert not any(k.startswith("_") for k in obj), "private field in an event object"
    return json.dumps(so.event(kind, obj, event_id=event_id, previous=previous))


def sign(payload: str, secret: str, *, timestamp: int | None = None) -> str:
    """A Stripe-Signature header for `payload`, as Stripe computes it."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"
