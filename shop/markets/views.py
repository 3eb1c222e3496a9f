"""The header's market control: prices and delivery for the United Kingdom or France."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from offtek.language import back_url
from shop.markets.rules import UnknownMarket
from shop.markets.selectors import market_for_request
from shop.markets.services import market_choose


@require_POST
def market_switch(request):
    """Show the shop in the chosen market and go back to the page, saying that the
    prices (and the basket) are now in that market's currency."""
    back = back_url(request, get_language() or "en")
    shown = market_for_request(request)
    try:
        market = market_choose(
            user=request.user, session=request.session, code=request.POST.get("market", "")
        )
    except UnknownMarket:
        messages.error(
            request, _("We do not sell in that market: choose the United Kingdom or France.")
        )
        return HttpResponseRedirect(back)
    if market != shown:
        messages.info(request, str(market.repriced_note))
    return HttpResponseRedirect(back)
