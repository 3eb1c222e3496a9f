"""How the fake Stripe reads requests: which parameters each endpoint accepts, which
fields `expand[]` may expand, and Stripe's form encoding."""

# What each endpoint accepts; anything else is refused as Stripe does.
PARAMS = {
    ("POST", "payment_intents"): {
        "amount",
        "currency",
        "automatic_payment_methods",
        "metadata",
        "description",
        "payment_method",
        "payment_method_types",
        "confirm",
        "capture_method",
        "receipt_email",
        "return_url",
        "expand",
    },
    ("POST", "confirm"): {"payment_method", "return_url", "expand"},
    ("POST", "cancel"): {"cancellation_reason", "expand"},
    ("POST", "refunds"): {"payment_intent", "charge", "amount", "reason", "metadata", "expand"},
    ("GET", "list"): {"charge", "payment_intent", "limit", "expand", "starting_after"},
    ("GET", "one"): {"expand"},
}
# Fields that `expand[]` may replace by their object, per object type.
EXPANDABLE = {
    "payment_intent": {"latest_charge", "payment_method", "customer", "review"},
    "charge": {"balance_transaction", "payment_intent", "refunds", "customer"},
    "refund": {"charge", "payment_intent", "balance_transaction"},
}


def nest(pairs) -> dict:
    """Stripe's form encoding (a[b]=c, a[0]=c) back into nested dicts and lists."""
    result: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def lists(node):
        if isinstance(node, dict):
            if node and all(k.isdigit() for k in node):
                return [lists(node[k]) for k in sorted(node, key=int)]
            return {k: lists(v) for k, v in node.items()}
        return node

    return lists(result)
