"""The browser's Global Privacy Control signal (``Sec-GPC: 1``).

The site sets only strictly necessary cookies, so there is no cookie choice to make;
GPC still counts for signed-in customers' consents (privacy.consent.gpc)."""


def gpc_signal(request) -> bool:
    """True when the browser sends the Global Privacy Control signal."""
    return request.headers.get("Sec-GPC", "").strip() == "1"
