"""Context processor: the request's market for every template (the header's control,
prices), and the markets to choose from."""

from shop.markets.rules import MARKETS
from shop.markets.selectors import market_for_request


def market(request):
    return {"market": market_for_request(request), "markets": MARKETS.values()}
