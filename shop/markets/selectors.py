"""Which market a request is in: the one the shopper chose (kept in the session, and
for a signed-in customer on their basket, restored at sign-in), else the one of the
page's language (/fr/ France, /en/ the United Kingdom). Reading it costs no query and
writes nothing, so a page stays shareable through the page cache, whose key has the
market in it."""

from django.utils.translation import get_language

from shop.markets.rules import MARKETS, Market, market_for_language

SESSION_KEY = "market"


def market_for_request(request) -> Market:
    session = getattr(request, "session", None)
    chosen = session.get(SESSION_KEY) if session is not None else None
    if chosen in MARKETS:
        return MARKETS[chosen]
    return market_for_language(get_language())
