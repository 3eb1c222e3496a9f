"""Offtek settings, read from the environment (see .env.example and docs/configuration.md).

Development (DJANGO_DEBUG=true) has embedded defaults: SQLite, console e-mail and
SMS, the simulator payment gateway, immediate tasks. Production (DJANGO_DEBUG unset
or false) refuses to start without its secrets and names the one that is missing.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from offtek.csp import STRIPE_HOSTS, csp_policy
from offtek.fail_closed import refusal
from offtek.seller import SELLER_VARIABLES, seller_build

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def required(name, development_value):
    """A secret: embedded in development, refused when missing in production."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return development_value
    raise ImproperlyConfigured(
        f"{name} is not set. Production mode (DJANGO_DEBUG unset or false) needs "
        f"{name} in the environment; for development set DJANGO_DEBUG=true."
    )


SECRET_KEY = required("SECRET_KEY", "development-only-secret-key-never-used-in-production")
# Field encryption key, kept apart from SECRET_KEY so each can be rotated on its own
# (manage.py rotate_keys re-encrypts from old key material to new).
CRYPTOGRAPHY_KEY = required("CRYPTOGRAPHY_KEY", "development-only-cryptography-key")
CRYPTOGRAPHY_SALT = env.str("CRYPTOGRAPHY_SALT", default="offtek-field-encryption")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [],
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "privacy.apps.PrivacyConfig",
    "shop.apps.ShopConfig",
    "offtek.apps.OfftekAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "import_export",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "offtek.middleware.XSSAuditorOffMiddleware",
    "offtek.middleware.TrustedProxyWatchMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "privacy.middleware.EncryptionKeyErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "privacy.no_store.SignedInPagesNotStoredMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "privacy.middleware.PurposeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "privacy.middleware.ReconsentMiddleware",
    "privacy.consent.gpc.GlobalPrivacyControlMiddleware",
]

ROOT_URLCONF = "offtek.urls"
WSGI_APPLICATION = "offtek.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "offtek.context_processors.site",
                "shop.layout.personal_parts",
                "shop.markets.layout.market",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production keeps each worker's connection for a minute instead of opening one per
# request (checked before reuse); development opens one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits, sessions, the catalog version and TOTP replay guards must be shared by
# every worker and every app server: the database cache needs no extra service;
# CACHE_URL=redis://host:6379/1 uses Redis (Django's RedisCache and the `redis` client of
# requirements.txt), with the database cache table standing in while Redis is down.
CACHES = {
    "default": env.cache(
        "CACHE_URL", default="locmemcache://" if DEBUG else "dbcache://offtek_cache"
    ),
    # The layout's fixed text (footer links) per language, in
    # each process's memory: it depends on nothing but the code and the language, so no
    # worker needs to share it, and a deploy (new processes) renews it. Whole catalog
    # pages are kept here too, under the shared catalog version (shop/catalog/page_cache.py).
    "layout": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "layout"},
}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Redis is a cache, not a single point of failure: while it is down, every operation
    # goes to the database cache table instead (offtek/cache.py).
    CACHES["default"]["BACKEND"] = "offtek.cache.RedisWithFallbackCache"
    CACHES["default"].setdefault("OPTIONS", {})["FALLBACK"] = "fallback"
    CACHES["fallback"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "offtek_cache",
        # Never culled during an outage: each row is a key Redis must renew afterwards.
        "OPTIONS": {"MAX_ENTRIES": 10_000_000},
    }

# Sessions are read from the shared cache (one Redis GET) and written through to the
# database, so they survive a cache restart and any app server can read them.
# Whole sessions are encrypted, in both places (privacy/sessions.py).
SESSION_ENGINE = "privacy.sessions"
SESSION_SERIALIZER = "privacy.sessions.EncryptedJSONSerializer"

# Keys name no one: rate limits count per IP address, stored as a keyed hash.
CACHE_KEY_FUNCTION = "privacy.cache_keys.cache_key_make"
for _alias in ("default", "fallback"):
    if _alias in CACHES:
        CACHES[_alias]["KEY_FUNCTION"] = CACHE_KEY_FUNCTION

AUTH_USER_MODEL = "privacy.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "shop:home"
LOGOUT_REDIRECT_URL = "shop:home"

# django-allauth: e-mail is the login, verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # this session stays, every other one ends
# Five wrong passwords for one account lock it for 15 minutes, whatever comes next.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/900s/key"}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Offtek] "
ACCOUNT_ADAPTER = "privacy.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "privacy.accounts.forms.SignupForm"}  # unticked consent boxes
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Offtek"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# British formats under "en" (dates "1 December 2026", 24-hour times): see offtek/formats.
FORMAT_MODULE_PATH = ["offtek.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development and tests whitenoise serves straight from the app folders; production
# serves the output of `collectstatic` (hashed, compressed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: the console in development, EMAIL_URL (smtp+tls://user:pass@host:587) in production.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    # Seconds any one exchange with the mail server may take: a server that accepts
    # the connection and never answers cannot hold a worker for longer.
    "timeout": env.int("EMAIL_TIMEOUT", default=10),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _smtp_options.items() if v not in (None, "")}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Offtek <shop@offtek.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox (privacy.outbox): a failed e-mail is tried again after 1, 2, 4... times
# EMAIL_RETRY_SECONDS, EMAIL_MAX_ATTEMPTS times in all, then staff see it as dead in
# the admin. A worker's claim on a message holds OUTBOX_CLAIM_SECONDS (longer than a
# send can take with EMAIL_TIMEOUT); after that a worker that died is taken over.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=8)
EMAIL_RETRY_SECONDS = env.int("EMAIL_RETRY_SECONDS", default=60)
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=300)

# Background work: immediate in development and tests, the database queue in production
# (run `manage.py worker` beside gunicorn).
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default="django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}
# `manage.py worker` (privacy/queue_worker.py): a task whose worker has not been seen for
# this many seconds goes back to the queue, at most this many times.
TASKS_WORKER_TIMEOUT = env.float("TASKS_WORKER_TIMEOUT", default=30)
TASKS_WORKER_MAX_ATTEMPTS = env.int("TASKS_WORKER_MAX_ATTEMPTS", default=5)

# Payments: the simulator unless Stripe keys are set. Production refuses to start
# without live keys (offtek/fail_closed.py) unless OFFTEK_TEST_SHOP=true declares a
# staging or demo site, which then shows a "test shop" banner on every page.
TEST_SHOP = env.bool("OFFTEK_TEST_SHOP", default=False)
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
PAYMENT_GATEWAY = env.str("PAYMENT_GATEWAY", default="stripe" if STRIPE_SECRET_KEY else "simulator")

# Stock held by unpaid orders: released when the reservation ends (a queued task),
# and limits on what one customer or one network may hold unpaid at once
# (orders, modules).
SHOP_RESERVATION_MINUTES = env.int("SHOP_RESERVATION_MINUTES", default=30)
SHOP_UNPAID_LIMIT_PER_CUSTOMER = (
    env.int("SHOP_UNPAID_ORDERS_PER_CUSTOMER", default=3),
    env.int("SHOP_UNPAID_UNITS_PER_CUSTOMER", default=20),
)
SHOP_UNPAID_LIMIT_PER_NETWORK = (
    env.int("SHOP_UNPAID_ORDERS_PER_NETWORK", default=10),
    env.int("SHOP_UNPAID_UNITS_PER_NETWORK", default=60),
)
# Of each module, a customer's unpaid orders may hold at most this share of its stock
# on sale, and one network's (IPv4 address, IPv6 /64) this share; never fewer than the
# floor, so a module with little stock still sells (shop/checkout/reservations.py).
SHOP_FAIR_SHARE_PERCENT_PER_CUSTOMER = env.int("SHOP_FAIR_SHARE_PERCENT_PER_CUSTOMER", default=20)
SHOP_FAIR_SHARE_PERCENT_PER_NETWORK = env.int("SHOP_FAIR_SHARE_PERCENT_PER_NETWORK", default=35)
SHOP_FAIR_SHARE_FLOOR_UNITS = env.int("SHOP_FAIR_SHARE_FLOOR_UNITS", default=2)

# Invoices and VAT (shop/invoices): the series documents are numbered in (one per seller)
# and its prefix, and who owes French VAT on a parcel from the UK ("ioss" or
# "eu_establishment", see shop/invoices/rules.py). The seller's own facts are
# SHOP_SELLER (offtek/seller.py, below).
SHOP_INVOICE_SERIES = env.str("SHOP_INVOICE_SERIES", default="offtek-uk")
SHOP_INVOICE_PREFIX = env.str("SHOP_INVOICE_PREFIX", default="OT")
SHOP_VAT_SCHEME_FR = env.str("SHOP_VAT_SCHEME_FR", default="ioss")
SHOP_EUR_PER_GBP = env.str("SHOP_EUR_PER_GBP", default="1.15")  # for the IOSS limit only

# Fulfilment: text messages and review invitations ("console" prints them, for
# development; "http" a provider, for production; "off" sends none), courier updates.
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
SMS_HTTP_URL = env.str("SMS_HTTP_URL", default="")
SMS_HTTP_TOKEN = env.str("SMS_HTTP_TOKEN", default="")
SMS_SENDER = env.str("SMS_SENDER", default="Offtek")
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=5)
SMS_RETRY_SECONDS = env.int("SMS_RETRY_SECONDS", default=60)
COURIER_WEBHOOK_SECRET = env.str("COURIER_WEBHOOK_SECRET", default="")
REVIEW_INVITATION_DAYS = env.int("REVIEW_INVITATION_DAYS", default=14)
REVIEW_PROVIDER_BACKEND = env.str("REVIEW_PROVIDER_BACKEND", default="console")
REVIEW_HTTP_URL = env.str("REVIEW_HTTP_URL", default="")
REVIEW_HTTP_TOKEN = env.str("REVIEW_HTTP_TOKEN", default="")

# The seller, its host and its consumer mediator (offtek/seller.py): the legal notice,
# the terms of sale and invoices print them. Production refuses to start without them;
# development and a declared test shop show fictional values.
SHOP_SELLER = seller_build(
    {name: env.str(name, default="") for name in SELLER_VARIABLES}, fictional=DEBUG or TEST_SHOP
)

# The footer's withdrawal form answers no sooner than this (seconds), whether or not the
# order number and address match, so its timing tells nothing.
SHOP_WITHDRAWAL_ANSWER_SECONDS = env.float("SHOP_WITHDRAWAL_ANSWER_SECONDS", default=0.4)

# Security headers. HTTPS-only settings are on in production and off in development.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# Flash messages ("confirmation sent to you@example.com") stay on the server, in the
# session: no personal data in a cookie (the cookie storage only signs, never encrypts).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours append to X-Forwarded-For: the customer's address (for sign-in
# rate limits and the fraud rule on failed payments per network) is read that many
# entries from the right. 0 ignores the header (REMOTE_ADDR), which behind a proxy makes
# every customer one network.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Stripe.js is always loaded from Stripe (never bundled); tests point this at a local
# stand-in, allowed by the same policy shape (offtek/csp.py).
STRIPE_JS_URL = "https://js.stripe.com/v3/"
SECURE_CSP = csp_policy(stripe=STRIPE_HOSTS if PAYMENT_GATEWAY == "stripe" else None)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # At DEBUG the Factur-X library logs the invoice XML it reads (a buyer's name and
    # address) and pypdf objects with memory addresses: it stays at INFO.
    "loggers": {"factur-x": {"level": "INFO"}},
}

# Accounts with no sign-in and no order for this long are closed (after an e-mail notice).
PRIVACY_INACTIVE_CUSTOMER_MONTHS = env.int("PRIVACY_INACTIVE_CUSTOMER_MONTHS", default=36)

if not DEBUG:
    _refusal = refusal(
        {
            name: env.str(name, default="")
            for name in (
                "PAYMENT_GATEWAY",
                "STRIPE_SECRET_KEY",
                "STRIPE_PUBLISHABLE_KEY",
                "STRIPE_WEBHOOK_SECRET",
                "COURIER_WEBHOOK_SECRET",
                "SMS_BACKEND",
                "SMS_HTTP_URL",
                "SMS_HTTP_TOKEN",
                "REVIEW_PROVIDER_BACKEND",
                "REVIEW_HTTP_URL",
                "REVIEW_HTTP_TOKEN",
                *SELLER_VARIABLES,
            )
        }
        | {"PAYMENT_GATEWAY": PAYMENT_GATEWAY},
        test_shop=TEST_SHOP,
    )
    if _refusal:
        raise ImproperlyConfigured(_refusal)

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
if not SITE_URL and not DEBUG:
    raise ImproperlyConfigured(
        "SITE_URL is not set. Production mode needs the shop's public address "
        "(https://shop.example) for links in e-mails."
    )

# Catalog imports (django-import-export): every import runs in a transaction, so a dry
# run or a file with a bad row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Operations: health probes, Prometheus metrics, error reports (offtek/operations/).
# django-prometheus counts requests and latency (its two middlewares wrap all others)
# and database queries (its database wrappers around Django's own backends).
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
# Who may read /metrics: a bearer token, or an address in these networks (in
# development the loopback only; in production none unless configured).
OFFTEK_METRICS_TOKEN = env.str("OFFTEK_METRICS_TOKEN", default="")
OFFTEK_METRICS_ALLOWED_NETWORKS = env.list(
    "OFFTEK_METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"] if DEBUG else []
)
# /readyz/ fails when the oldest task waiting in the queue has waited this long (seconds).
OFFTEK_READY_QUEUE_MAX_AGE = env.int("OFFTEK_READY_QUEUE_MAX_AGE", default=600)
# Error reports go to an error tracker only when SENTRY_DSN is set; nothing personal is
# in them (offtek/operations/error_reports.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from offtek.operations.error_reports import error_reports_init

    error_reports_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"),
        release=env.str("SENTRY_RELEASE", default=""),
    )
# Erasure journal (privacy/rights/journal.py): a directory OUTSIDE the database's backups
# (each closure writes one file there) so that a restore can be followed by
# `manage.py erasure_replay --apply`; and the key of its hashes, kept across key rotations.
OFFTEK_ERASURE_JOURNAL_DIR = env.str(
    "OFFTEK_ERASURE_JOURNAL_DIR", default=str(BASE_DIR / "var" / "erasure-journal")
)
OFFTEK_ERASURE_JOURNAL_KEY = env.str("OFFTEK_ERASURE_JOURNAL_KEY", default="")
# Where the nightly pg_dump files are kept (backups_prune applies their retention rule).
OFFTEK_BACKUP_DIR = env.str("OFFTEK_BACKUP_DIR", default="")
