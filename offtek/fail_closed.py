"""What production refuses to start with (settings.py calls this with DEBUG off).

A production shop takes real money: live Stripe keys, all three of them, and the
secrets of every fulfilment feature that is on. A staging or demo site says so with
one variable, OFFTEK_TEST_SHOP=true: test keys or the payment simulator are then
accepted, and every page carries a "test shop" banner. A production shop also names
its seller (offtek/seller.py): the legal notice, the terms of sale and invoices print
those facts, so a missing one stops the start.
"""

from offtek.seller import seller_missing

TEST_SHOP_VARIABLE = "OFFTEK_TEST_SHOP"
STRIPE_KEYS = {
    "STRIPE_SECRET_KEY": ("sk_live_", "rk_live_"),
    "STRIPE_PUBLISHABLE_KEY": ("pk_live_",),
    "STRIPE_WEBHOOK_SECRET": ("whsec_",),
}
TEST_PREFIXES = ("sk_test_", "pk_test_", "rk_test_")
# The backend setting of each provider the shop sends customers' details to, and the
# prefix of its HTTP settings.
PROVIDERS = {"SMS_BACKEND": "SMS", "REVIEW_PROVIDER_BACKEND": "REVIEW"}


def _staging_hint() -> str:
    return f"for a staging or demo site that takes no real money, set {TEST_SHOP_VARIABLE}=true"


def simulator_refusal(*, gateway: str, test_shop: bool) -> str | None:
    """Why the payment simulator must not run this production shop, or None. The one
    rule: settings refuse to start with it, and `check --deploy` reports it."""
    if gateway == "simulator" and not test_shop:
        return (
            "PAYMENT_GATEWAY is 'simulator': the simulator takes no money and must not "
            f"run a production shop ({_staging_hint()})."
        )
    return None


def refusal(values: dict, *, test_shop: bool) -> str | None:
    """The first reason this configuration must not serve customers, naming the
    variable, or None. ``values`` maps variable names to their (string) values."""
    gateway = values.get("PAYMENT_GATEWAY", "")
    keys = {name: values.get(name, "") for name in STRIPE_KEYS}
    staging = _staging_hint()
    if not test_shop:
        for name, prefixes in STRIPE_KEYS.items():
            value = keys[name]
            if not value:
                return (
                    f"{name} is not set. Production takes card payments through Stripe and "
                    f"needs STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and "
                    f"STRIPE_WEBHOOK_SECRET ({staging})."
                )
            if value.startswith(TEST_PREFIXES):
                return (
                    f"{name} is a Stripe test key ({value[:8]}...): a production shop "
                    f"charges no card with it ({staging})."
                )
            if not value.startswith(prefixes):
                return (
                    f"{name} does not look like a Stripe key (expected {' or '.join(prefixes)}...)."
                )
        simulator = simulator_refusal(gateway=gateway, test_shop=test_shop)
        if simulator:
            return simulator
        missing = seller_missing(values)
        if missing:
            return (
                f"{missing} is not set: the legal notice, the terms of sale and invoices "
                f"need the seller's facts (see .env.example; {staging})."
            )
        if not values.get("COURIER_WEBHOOK_SECRET"):
            return (
                "COURIER_WEBHOOK_SECRET is not set: couriers' delivery updates cannot be "
                f"checked ({staging})."
            )
        console = console_refusal(values)
        if console:
            return console
    elif any(keys.values()):
        missing = [name for name, value in keys.items() if not value]
        if missing:
            return (
                f"{missing[0]} is not set: with Stripe keys, all three of STRIPE_SECRET_KEY, "
                "STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET are needed."
            )
    if keys["STRIPE_SECRET_KEY"] and keys["STRIPE_PUBLISHABLE_KEY"]:
        secret_live = keys["STRIPE_SECRET_KEY"].startswith(STRIPE_KEYS["STRIPE_SECRET_KEY"])
        if secret_live != keys["STRIPE_PUBLISHABLE_KEY"].startswith("pk_live_"):
            return (
                "STRIPE_PUBLISHABLE_KEY and STRIPE_SECRET_KEY are not both live or both test keys."
            )
    for backend, prefix in PROVIDERS.items():
        if values.get(backend) == "http":
            if not values.get(f"{prefix}_HTTP_URL", "").startswith("https://"):
                url = f"{prefix}_HTTP_URL"
                return f"{url} is not set to an https:// address, and {backend} is http."
            if not values.get(f"{prefix}_HTTP_TOKEN"):
                return f"{prefix}_HTTP_TOKEN is not set, and {backend} is http."
    return None


def console_refusal(values: dict) -> str | None:
    """A production shop never prints customers' messages to its log: the console
    backends (development) write the phone number, the e-mail address and the text to
    standard output."""
    for backend in PROVIDERS:
        if (values.get(backend) or "console") == "console":
            return (
                f"{backend} is 'console' (the default), which prints customers' details "
                f"to the server's log: set it to http (a provider) or off ({_staging_hint()})."
            )
    return None
