"""A small, stateful fake of the parts of Stripe's HTTP API the shop uses, served on
127.0.0.1 so the real `stripe` SDK runs unmodified against it; plus webhook signing
with Stripe's real scheme (t=..., v1=HMAC-SHA256(secret, "t.payload"))."""

import hashlib
import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

API_KEY = "sk_test_offtek"

# Stripe's test payment methods, and what confirming with each does.
CONFIRM_OUTCOMES = {
    "pm_card_visa": "succeeded",
    "pm_card_threeDSecure2Required": "requires_action",
    "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds": "requires_action_then_decline",
    "pm_card_chargeDeclinedInsufficientFunds": "insufficient_funds",
    "pm_card_chargeDeclined": "card_declined",
}
DECLINES = {
    "insufficient_funds": "Your card has insufficient funds.",
    "card_declined": "Your card was declined.",
    "authentication_failed": "We are unable to authenticate your payment method.",
}


def _nest(pairs) -> dict:
    """Stripe's form encoding (a[b]=c) back into nested dicts."""
    result: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return result


class FakeStripe:
    def __init__(self):
        self.intents: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.idempotent: dict[str, tuple[int, dict]] = {}
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _reply(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_" + secrets.token_hex(6))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str):
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else url.query
                params = _nest(parse_qsl(raw, keep_blank_values=True))
                if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                    return self._reply(
                        401, _error("Invalid API Key provided", "authentication_error")
                    )
                key = self.headers.get("Idempotency-Key")
                with fake.lock:
                    fake.requests.append(
                        {
                            "method": method,
                            "path": url.path,
                            "params": params,
                            "idempotency_key": key,
                        }
                    )
                    if method == "POST" and key and key in fake.idempotent:
                        return self._reply(*fake.idempotent[key])
                    status, body = fake.route(method, url.path, params)
                    if method == "POST" and key and status < 500:
                        fake.idempotent[key] = (status, body)
                return self._reply(status, body)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    # --- the API ---------------------------------------------------------------

    def route(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        parts = path.strip("/").split("/")
        if parts[:2] == ["v1", "payment_intents"]:
            if len(parts) == 2 and method == "POST":
                return 200, self._intent_create(params)
            intent = self.intents.get(parts[2]) if len(parts) > 2 else None
            if intent is None:
                return 404, _error("No such payment_intent", code="resource_missing")
            if len(parts) == 3 and method == "GET":
                return 200, intent
            if len(parts) == 4 and parts[3] == "confirm" and method == "POST":
                return self._intent_confirm(intent, params)
            if len(parts) == 4 and parts[3] == "cancel" and method == "POST":
                intent["status"] = "canceled"
                return 200, intent
        if parts == ["v1", "refunds"] and method == "POST":
            return self._refund_create(params)
        return 404, _error(f"Unrecognized request URL ({method}: {path})")

    def _intent_create(self, params: dict) -> dict:
        intent_id = "pi_" + secrets.token_hex(12)
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": int(params["amount"]),
            "amount_received": 0,
            "currency": params["currency"],
            "status": "requires_payment_method",
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "metadata": params.get("metadata", {}),
            "description": params.get("description"),
            "last_payment_error": None,
            "payment_method": None,
            "latest_charge": None,
            "livemode": False,
            "created": int(time.time()),
        }
        self.intents[intent_id] = intent
        return intent

    def _intent_confirm(self, intent: dict, params: dict) -> tuple[int, dict]:
        outcome = CONFIRM_OUTCOMES.get(params.get("payment_method", ""), "card_declined")
        intent["payment_method"] = {"id": "pm_x", "card": {"brand": "visa", "last4": "3184"}}
        intent["_outcome"] = outcome
        if outcome == "succeeded":
            self._succeed(intent)
        elif outcome.startswith("requires_action"):
            intent["status"] = "requires_action"
            intent["next_action"] = {"type": "use_stripe_sdk"}
        else:
            self._decline(intent, outcome)
            return 402, _error(DECLINES[outcome], "card_error", code="card_declined")
        return 200, intent

    def _succeed(self, intent: dict):
        intent["status"] = "succeeded"
        intent["amount_received"] = intent["amount"]
        intent["latest_charge"] = "ch_" + intent["id"][3:]
        intent["last_payment_error"] = None

    def _decline(self, intent: dict, reason: str):
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = {
            "code": "card_declined",
            "decline_code": reason,
            "message": DECLINES[reason],
        }

    def authenticate(self, intent_id: str, *, approve: bool) -> dict:
        """What the issuer's 3-D Secure page does when the customer answers."""
        with self.lock:
            intent = self.intents[intent_id]
            assert intent["status"] == "requires_action"
            if not approve:
                self._decline(intent, "authentication_failed")
            elif intent["_outcome"] == "requires_action_then_decline":
                self._decline(intent, "insufficient_funds")
            else:
                self._succeed(intent)
            intent.pop("next_action", None)
            return dict(intent)

    def confirm(self, intent_id: str, payment_method: str) -> dict:
        """What stripe.confirmPayment in the browser does."""
        with self.lock:
            _status, body = self._intent_confirm(
                self.intents[intent_id], {"payment_method": payment_method}
            )
            return dict(self.intents[intent_id])

    def _refund_create(self, params: dict) -> tuple[int, dict]:
        intent = self.intents.get(params.get("payment_intent", ""))
        if intent is None or intent["status"] != "succeeded":
            return 400, _error("This PaymentIntent cannot be refunded.")
        refunded = sum(
            r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent["id"]
        )
        amount = int(params.get("amount") or intent["amount_received"] - refunded)
        if amount <= 0 or refunded + amount > intent["amount_received"]:
            return 400, _error("Refund amount is greater than unrefunded amount on charge.")
        refund = {
            "id": "re_" + secrets.token_hex(12),
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "charge": intent["latest_charge"],
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        return 200, refund

    # --- webhooks ----------------------------------------------------------------

    def charge_for(self, intent_id: str) -> dict:
        intent = self.intents[intent_id]
        refunds = [r for r in self.refunds.values() if r["payment_intent"] == intent_id]
        return {
            "id": intent["latest_charge"],
            "object": "charge",
            "amount": intent["amount_received"],
            "amount_refunded": sum(r["amount"] for r in refunds),
            "currency": intent["currency"],
            "payment_intent": intent_id,
            "refunded": sum(r["amount"] for r in refunds) == intent["amount_received"],
            "refunds": {"object": "list", "data": refunds},
        }


def _error(message: str, kind: str = "invalid_request_error", code: str | None = None) -> dict:
    return {"error": {"type": kind, "message": message, "code": code}}


def event_payload(
    kind: str, obj: dict, *, event_id: str | None = None, livemode: bool = False
) -> str:
    clean = {k: v for k, v in obj.items() if not k.startswith("_")}
    return json.dumps(
        {
            "id": event_id or "evt_" + secrets.token_hex(12),
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()),
            "type": kind,
            "livemode": livemode,
            "pending_webhooks": 1,
            "data": {"object": clean},
        }
    )


def sign(payload: str, secret: str, *, timestamp: int | None = None) -> str:
    """A Stripe-Signature header for `payload`, as Stripe computes it."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"
