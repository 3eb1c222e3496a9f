"""Context processor: the request's market for every template (the header's control,
prices), and the markets to choose from."""

from django.utils.functional import SimpleLazyObject

from shop.markets.rules import MARKETS
from shop.markets.selectors import market_for_request


def market(request):
    # Read from the session only when a template asks: a page that must not touch the
    # session (the "temporarily unavailable" page of a wrong key) never does.
    return {
        "market": SimpleLazyObject(lambda: market_for_request(request)),
        "markets": MARKETS.values(),
    }
