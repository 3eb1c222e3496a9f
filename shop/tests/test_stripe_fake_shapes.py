"""The Stripe fake answers in Stripe's shapes, so it cannot drift into kinder ones.

Every object the fake returns (PaymentIntent, Charge, Refund, PaymentMethod,
BalanceTransaction, Dispute, Event, lists, errors) is compared with Stripe's own
example of that object (Stripe's fixtures3.json, published beside its OpenAPI spec)
and the SDK's resource classes: the same keys as the example (nested objects too),
values of the example's types, null only where the SDK declares the field optional,
extra keys only where the SDK declares them, nothing private. Controls prove the
check fails when a field is dropped, a private one added, or a type changed."""

import copy
import json
import os
import typing
from pathlib import Path

import pytest
import stripe
from stripe import StripeObject
from stripe._error_object import ErrorObject
from stripe._stripe_object import UntypedStripeObject

from shop.tests.stripe_fake import API_KEY, FakeStripe, event_payload

ROOT = Path(__file__).resolve().parents[2]


def _fixtures_path() -> Path | None:
    candidates = [os.environ.get("STRIPE_FIXTURES", "")] + [
        str(parent / "shared" / "stripe" / "fixtures3.json") for parent in ROOT.parents
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


FIXTURES_PATH = _fixtures_path()
if FIXTURES_PATH is None:
    if os.environ.get("CI"):
        raise RuntimeError("Stripe's fixtures3.json is missing; CI must have ../shared/stripe/")
    pytest.skip(
        "Stripe's fixtures3.json not found (../shared/stripe/ or STRIPE_FIXTURES)",
        allow_module_level=True,
    )
EXAMPLES = json.loads(FIXTURES_PATH.read_text())["resources"]

SDK = {
    "payment_intent": stripe.PaymentIntent,
    "charge": stripe.Charge,
    "refund": stripe.Refund,
    "payment_method": stripe.PaymentMethod,
    "balance_transaction": stripe.BalanceTransaction,
    "dispute": stripe.Dispute,
    "event": stripe.Event,
}
# Since API version 2022-11-15 a Charge carries its refunds only when expanded.
ONLY_WHEN_EXPANDED = {"charge": {"refunds"}}
# Fields beyond Stripe's example that Stripe adds in some states (the SDK declares them).
ADDED_IN_SOME_STATES = {"refund": {"failure_reason", "failure_balance_transaction"}}
LIST_KEYS = {"object", "data", "has_more", "url"}


def _args(annotation) -> tuple:
    """The members of a Union (Optional[...] included), or the annotation itself."""
    if typing.get_origin(annotation) is typing.Union:
        return typing.get_args(annotation)
    return (annotation,)


def _optional(cls, key) -> bool:
    annotation = (getattr(cls, "__annotations__", {}) or {}).get(key)
    return annotation is not None and type(None) in _args(annotation)


def _nested_class(cls, key):
    """The SDK's class for a nested object, "free" for a free-form dict, or None."""
    annotation = (getattr(cls, "__annotations__", {}) or {}).get(key)
    for arg in _args(annotation):
        if arg is dict or typing.get_origin(arg) in (dict, UntypedStripeObject):
            return "free"
        if arg is str:
            return "id"  # an expandable field: an id unless expanded
        if isinstance(arg, type) and issubclass(arg, StripeObject):
            return arg
    return None


def problems(obj: dict, *, path: str = "") -> list[str]:
    """What differs between `obj` (an object the fake returned) and Stripe's shape."""
    kind = obj.get("object")
    if kind == "list":
        found = [f"{path}: keys {sorted(set(obj) ^ LIST_KEYS)}"] if set(obj) != LIST_KEYS else []
        for index, item in enumerate(obj.get("data", [])):
            found += problems(item, path=f"{path}.data[{index}]")
        return found
    if kind not in SDK:
        return [f"{path}: unknown object type {kind!r}"]
    example, cls = EXAMPLES[kind], SDK[kind]
    found = []
    if kind in ONLY_WHEN_EXPANDED and ONLY_WHEN_EXPANDED[kind] & set(obj):
        found.append(f"{path}: {sorted(ONLY_WHEN_EXPANDED[kind] & set(obj))} only when expanded")
    missing = set(example) - set(obj) - ONLY_WHEN_EXPANDED.get(kind, set())
    extra = set(obj) - set(example) - ADDED_IN_SOME_STATES.get(kind, set())
    if missing:
        found.append(f"{path} {kind}: missing {sorted(missing)}")
    if extra:
        found.append(f"{path} {kind}: not in Stripe's example {sorted(extra)}")
    return found + _values(obj, example, cls, path or kind)


def _values(obj: dict, example: dict, cls, path: str) -> list[str]:
    found = []
    for key, value in obj.items():
        here = f"{path}.{key}"
        if key.startswith("_"):
            found.append(f"{here}: private field")
            continue
        sample = example.get(key)
        if value is None:
            if sample is not None and cls is not None and not _optional(cls, key):
                found.append(f"{here}: null where Stripe always sends a value")
        elif isinstance(value, dict) and value.get("object") in (*SDK, "list"):
            found += problems(value, path=here)  # an expanded or embedded object
        elif isinstance(value, dict):
            found += _nested(value, sample, cls, key, here)
        elif isinstance(value, list):
            if sample is not None and not isinstance(sample, list):
                found.append(f"{here}: a list where Stripe sends {type(sample).__name__}")
            item_sample = sample[0] if sample else None
            for index, item in enumerate(value):
                if isinstance(item, dict) and isinstance(item_sample, dict):
                    found += _nested(item, item_sample, _nested_class(cls, key), "", here)
                elif item_sample is not None and type(item) is not type(item_sample):
                    found.append(f"{here}[{index}]: {type(item).__name__}")
        elif sample is not None and type(value) is not type(sample):
            found.append(
                f"{here}: {type(value).__name__} where Stripe sends {type(sample).__name__}"
            )
    return found


def _nested(value: dict, sample, cls, key: str, here: str) -> list[str]:
    if sample is not None and not isinstance(sample, dict):
        if isinstance(sample, str):  # an id Stripe sends, expanded: must be an object
            return [f"{here}: expanded without being asked"] if "object" not in value else []
        return [f"{here}: an object where Stripe sends {type(sample).__name__}"]
    nested = _nested_class(cls, key) if key else cls
    if nested == "free":
        return []
    if nested == "id":
        return [f"{here}: expanded without being asked"]
    sample = sample or {}
    declared = set(getattr(nested, "__annotations__", {}) or {}) if nested else set(sample)
    found = []
    if set(sample) - set(value):
        found.append(f"{here}: missing {sorted(set(sample) - set(value))}")
    if set(value) - set(sample) - declared:
        found.append(f"{here}: undeclared {sorted(set(value) - set(sample) - declared)}")
    return found + _values(value, sample, nested if nested else None, here)


def error_problems(body: dict) -> list[str]:
    error = body.get("error") or {}
    declared = set(ErrorObject.__annotations__)
    found = [f"error: undeclared {sorted(set(error) - declared)}"] if set(error) - declared else []
    needed = {"type", "message"} | ({"doc_url"} if "code" in error else set())
    if error.get("type") == "card_error":
        needed |= {"code", "decline_code", "charge", "payment_method", "doc_url"}
    if error.get("code", "").startswith("parameter_"):
        needed.add("param")
    if needed - set(error):
        found.append(f"error: missing {sorted(needed - set(error))}")
    for name in ("payment_intent", "payment_method"):
        if isinstance(error.get(name), dict):
            found += problems(error[name], path=f"error.{name}")
    return found


@pytest.fixture
def fake():
    server = FakeStripe()
    server.start()
    yield server
    server.stop()


def _client(fake) -> stripe.StripeClient:
    return stripe.StripeClient(API_KEY, base_addresses={"api": fake.url})


def _every_answer(fake) -> tuple[list[dict], list[dict]]:
    """Drive the fake through everything the shop meets; returns (objects, errors)."""
    client = _client(fake)

    def intent():
        return client.v1.payment_intents.create(params={"amount": 4399, "currency": "gbp"})

    paid = intent()
    fake.confirm(paid.id, "pm_card_gb")
    expanded = client.v1.payment_intents.retrieve(
        paid.id,
        params={"expand": ["latest_charge.balance_transaction", "payment_method"]},
    )
    charge_id = expanded.latest_charge.id
    client.v1.charges.retrieve(charge_id)
    client.v1.payment_methods.retrieve(expanded.payment_method.id)
    refund = client.v1.refunds.create(params={"payment_intent": paid.id, "amount": 1000})
    failed_refund = fake.refund_settle(refund.id, status="failed")
    client.v1.refunds.list(params={"charge": charge_id})
    client.v1.refunds.retrieve(refund.id)
    dispute = fake.dispute_for(paid.id)
    action = intent()
    fake.confirm(action.id, "pm_card_threeDSecure2Required")
    processing = intent()
    fake.confirm(processing.id, "pm_card_gb_processing")
    declined = intent()
    fake.confirm(declined.id, "pm_card_chargeDeclinedInsufficientFunds")
    client.v1.payment_intents.retrieve(declined.id, params={"expand": ["latest_charge"]})
    cancelled = intent()
    client.v1.payment_intents.cancel(cancelled.id)
    events = [
        json.loads(event_payload(kind, obj))
        for kind, obj in [
            ("payment_intent.succeeded", fake.intent(paid.id)),
            ("payment_intent.requires_action", fake.intent(action.id)),
            ("payment_intent.processing", fake.intent(processing.id)),
            ("payment_intent.payment_failed", fake.intent(declined.id)),
            ("charge.refunded", fake.charge_for(paid.id)),
            ("refund.updated", failed_refund),
            ("charge.dispute.created", dispute),
        ]
    ]
    for call in (
        lambda: client.v1.payment_intents.create(params={"amount": 4399}),
        lambda: client.v1.payment_intents.retrieve("pi_missing"),
        lambda: client.v1.payment_intents.retrieve(paid.id, params={"expand": ["amount"]}),
        lambda: client.v1.refunds.create(params={"payment_intent": paid.id, "amount": 999999}),
    ):
        with pytest.raises(stripe.StripeError):
            call()
    objects = [b for b in fake.responses if "error" not in b] + events
    errors = [b for b in fake.responses if "error" in b]
    status, body = fake._intent_confirm(  # the 402 the browser sees for a decline
        fake.objects[intent().id], {"payment_method": "pm_card_chargeDeclined"}
    )
    assert status == 402
    errors.append(body)
    return objects, errors


def _kinds(obj, seen: set) -> set:
    if isinstance(obj, dict):
        if "object" in obj and isinstance(obj["object"], str):
            seen.add(obj["object"])
        for value in obj.values():
            _kinds(value, seen)
    elif isinstance(obj, list):
        for item in obj:
            _kinds(item, seen)
    return seen


def test_every_object_the_fake_returns_has_stripes_shape(fake):
    objects, errors = _every_answer(fake)

    assert _kinds(objects, set()) >= {*SDK, "list"}
    for obj in objects:
        assert problems(obj) == [], obj.get("object")
    for body in errors:
        assert error_problems(body) == [], body


def test_ids_not_objects_unless_expanded(fake):
    client = _client(fake)
    intent = client.v1.payment_intents.create(params={"amount": 4399, "currency": "gbp"})
    fake.confirm(intent.id, "pm_card_visa")

    plain = client.v1.payment_intents.retrieve(intent.id)
    expanded = client.v1.payment_intents.retrieve(
        intent.id, params={"expand": ["latest_charge", "payment_method"]}
    )
    charge = client.v1.charges.retrieve(plain.latest_charge)

    assert plain.latest_charge.startswith("ch_") and plain.payment_method.startswith("pm_")
    assert expanded.latest_charge.outcome.risk_level == "normal"
    assert expanded.payment_method.card.last4 == "4242"
    assert "refunds" not in charge  # API versions since 2022-11-15
    assert isinstance(charge.balance_transaction, str)
    with_refunds = client.v1.charges.retrieve(charge.id, params={"expand": ["refunds"]})
    assert with_refunds.refunds.object == "list" and with_refunds.refunds.data == []


def test_an_idempotency_key_reused_with_other_parameters_is_refused(fake):
    client = _client(fake)
    options = {"idempotency_key": "offtek-OT-1-payment-intent"}
    first = client.v1.payment_intents.create(
        params={"amount": 4399, "currency": "gbp"}, options=options
    )
    again = client.v1.payment_intents.create(
        params={"amount": 4399, "currency": "gbp"}, options=options
    )
    with pytest.raises(stripe.IdempotencyError):
        client.v1.payment_intents.create(
            params={"amount": 4000, "currency": "gbp"}, options=options
        )
    assert first.id == again.id and len(fake.intents) == 1


def test_unknown_parameters_are_refused_as_stripe_does(fake):
    with pytest.raises(stripe.InvalidRequestError) as error:
        _client(fake).v1.payment_intents.create(
            params={"amount": 4399, "currency": "gbp", "amount_total": 1}
        )
    assert error.value.code == "parameter_unknown" and error.value.param == "amount_total"


def test_requires_action_carries_the_use_stripe_sdk_hash(fake):
    client = _client(fake)
    intent = client.v1.payment_intents.create(params={"amount": 4399, "currency": "gbp"})
    answered = fake.confirm(intent.id, "pm_card_threeDSecure2Required")
    assert answered["status"] == "requires_action"
    assert answered["next_action"]["type"] == "use_stripe_sdk"
    assert answered["next_action"]["use_stripe_sdk"]["type"] == "stripe_3ds2_fingerprint"


# Controls: the check reports a kinder shape ------------------------------------------


@pytest.fixture
def real_intent(fake):
    client = _client(fake)
    intent = client.v1.payment_intents.create(params={"amount": 4399, "currency": "gbp"})
    fake.confirm(intent.id, "pm_card_visa")
    return fake.intent(intent.id)


def test_control_the_real_intent_passes(real_intent):
    assert problems(real_intent) == []


@pytest.mark.parametrize(
    ("spoil", "reported"),
    [
        (lambda o: o.pop("capture_method"), "missing ['capture_method']"),
        (lambda o: o.update(_outcome="succeeded"), "_outcome"),
        (lambda o: o.update(amount="4399"), ".amount: str"),
        (lambda o: o.update(livemode=None), ".livemode: null"),
        (lambda o: o["amount_details"].pop("tip"), "amount_details: missing ['tip']"),
        (lambda o: o["automatic_payment_methods"].update(kind=1), "undeclared ['kind']"),
        (lambda o: o.update(latest_charge={"id": "ch_1"}), "expanded without being asked"),
    ],
)
def test_control_a_spoilt_intent_is_reported(real_intent, spoil, reported):
    spoilt = copy.deepcopy(real_intent)
    spoil(spoilt)
    assert any(reported in problem for problem in problems(spoilt)), problems(spoilt)


def test_control_a_charge_embedding_its_refunds_or_losing_a_field_is_reported(fake, real_intent):
    charge = fake.charge_for(real_intent["id"])
    assert problems(charge) == []
    with_refunds = {
        **charge,
        "refunds": {"object": "list", "data": [], "has_more": False, "url": ""},
    }
    assert problems(with_refunds)
    without_status = {k: v for k, v in charge.items() if k != "status"}
    assert any("missing ['status']" in p for p in problems(without_status))
    risk_dropped = copy.deepcopy(charge)
    risk_dropped["outcome"].pop("type")
    assert problems(risk_dropped)


def test_control_an_error_without_its_documented_fields_is_reported():
    assert error_problems({"error": {"type": "card_error", "message": "Declined"}})
    assert error_problems({"error": {"type": "x", "message": "m", "_private": 1}})
