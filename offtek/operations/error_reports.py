"""Error reports to an error tracker (Sentry or a compatible service), optional: only
when ``SENTRY_DSN`` is set.

An error report is a disclosure to a processor, so it carries nothing that names a
person: the SDK's own personal-data switches are off (sentry-sdk 3's
``data_collection``, which replaced ``send_default_pii``: user, cookies, headers, query
strings, bodies, local variables; and no breadcrumbs), and every event passes
``event_scrub`` before it leaves, which keeps only what a developer needs to find the
fault: the exception's type, its stack (file, function, line, the code around it), the
URL pattern and the method. Exception messages, log arguments, the request's path, query, headers,
cookies and body, the user and the session are dropped, whatever they contain.
"""

from urllib.parse import urlsplit

# What may stay in an event, key by key; everything else is removed.
EVENT_KEYS = {
    "event_id",
    "timestamp",
    "platform",
    "level",
    "logger",
    "transaction",
    "transaction_info",
    "server_name",
    "release",
    "environment",
    "sdk",
    "exception",
    "logentry",
    "contexts",
    "modules",
    "type",
}
CONTEXT_KEYS = {"runtime", "os", "trace"}
FRAME_KEYS = {
    "filename",
    "abs_path",
    "module",
    "function",
    "lineno",
    "in_app",
    "context_line",
    "pre_context",
    "post_context",
}


def _frames_scrub(stacktrace: dict | None) -> dict | None:
    if not stacktrace:
        return stacktrace
    frames = [
        {k: v for k, v in frame.items() if k in FRAME_KEYS}
        for frame in stacktrace.get("frames", [])
    ]
    return {"frames": frames}


def event_scrub(event: dict, hint: dict | None = None) -> dict:
    """The event with every value that could hold personal data removed."""
    kept = {key: value for key, value in event.items() if key in EVENT_KEYS}
    if "exception" in kept:
        values = []
        for exception in kept["exception"].get("values", []):
            values.append(
                {
                    "type": exception.get("type"),
                    "module": exception.get("module"),
                    "mechanism": exception.get("mechanism"),
                    "stacktrace": _frames_scrub(exception.get("stacktrace")),
                }
            )
        kept["exception"] = {"values": values}
    if "logentry" in kept:
        # The message's template, never its arguments (they may be an e-mail address).
        message = kept["logentry"].get("message") or ""
        kept["logentry"] = {"message": message if kept["logentry"].get("params") else "(log)"}
    if "contexts" in kept:
        kept["contexts"] = {k: v for k, v in kept["contexts"].items() if k in CONTEXT_KEYS}
    request = event.get("request") or {}
    if request.get("method"):
        kept["request"] = {"method": request["method"]}
        # The scheme and host only: the path can hold an order number or a signed token.
        url = urlsplit(request.get("url") or "")
        if url.scheme and url.netloc:
            kept["request"]["url"] = f"{url.scheme}://{url.netloc}/"
    return kept


def error_reports_init(*, dsn: str, environment: str = "production", release: str = "") -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(middleware_spans=False)],
        # The SDK's switches for personal data (send_default_pii's successor): all off.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=0,
        before_send=event_scrub,
    )
