"""Writes about markets: the shopper's choice of market."""

from django.db import transaction

from shop.markets.rules import MARKETS, Market, market_get
from shop.markets.selectors import SESSION_KEY
from shop.models import Basket


@transaction.atomic
def market_choose(*, user, session, code: str) -> Market:
    """Show prices in the market `code` from now on: kept in the session, and for a
    signed-in customer on their basket so the next sign-in finds it again. Raises
    UnknownMarket (and writes nothing) for a code the shop does not sell in."""
    market = market_get(code)
    if session.get(SESSION_KEY) != market.code:
        session[SESSION_KEY] = market.code
    if user.is_authenticated:
        basket, _created = Basket.objects.get_or_create(user=user)
        if basket.market != market.code:
            basket.market = market.code
            basket.save(update_fields=["market", "updated_at"])
    return market


def market_restore_at_login(*, user, session) -> None:
    """At sign-in: a choice made in this visit is kept on the account; otherwise the
    customer's remembered market comes back into the session."""
    if session.get(SESSION_KEY) in MARKETS:
        market_choose(user=user, session=session, code=session[SESSION_KEY])
        return
    remembered = Basket.objects.filter(user=user).values_list("market", flat=True).first()
    if remembered in MARKETS:
        session[SESSION_KEY] = remembered
