"""A production environment, as .ci/run gives `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from offtek.seller import SELLER_FACTS

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="false",  # explicit: .env (development) would otherwise fill it in
        SECRET_KEY=secrets.token_urlsafe(50),
        CRYPTOGRAPHY_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="shop.example",
        SITE_URL="https://shop.example",
        # Live-looking keys: production refuses test keys (nothing here calls Stripe).
        STRIPE_SECRET_KEY="sk_live_ci",
        STRIPE_PUBLISHABLE_KEY="pk_live_ci",
        STRIPE_WEBHOOK_SECRET="whsec_ci",
        SMS_BACKEND="http",
        SMS_HTTP_URL="https://sms.example/messages",
        SMS_HTTP_TOKEN="ci-token",
        REVIEW_PROVIDER_BACKEND="http",
        REVIEW_HTTP_URL="https://reviews.example/invitations",
        REVIEW_HTTP_TOKEN="ci-review-token",
        COURIER_WEBHOOK_SECRET="ci-courier-secret",
        DJANGO_TRUSTED_PROXY_COUNT="1",  # behind the README's TLS proxy
    )
    # The seller's facts (a real shop's; the demo values stand in for them here).
    env.update({fact.variable: fact.demo or "FR00000000000" for fact in SELLER_FACTS})
    env.pop("PAYMENT_GATEWAY", None)
    env.pop("OFFTEK_TEST_SHOP", None)
    env.update(overrides)
    return env


def settings_start(env: dict) -> subprocess.CompletedProcess:
    """Load the real settings module and set Django up, as gunicorn's workers do."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "offtek.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def manage(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
