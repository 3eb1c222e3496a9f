"""The basket count in the page header, kept in the shopper's session so a page can show
it without a query. Every basket change through the views writes it (one small
aggregate on the changed basket), the basket and checkout pages refresh it from the
lines they load anyway, and signing in writes it after the anonymous basket is merged.

A session that has no count yet (one started before this existed) gets it computed
once and stored. A second device of the same customer shows its own last known count
until it opens the basket or changes it."""

from django.contrib.auth import SESSION_KEY as USER_SESSION_KEY
from django.db.models import Sum

from shop.basket.services import SESSION_KEY as BASKET_SESSION_KEY
from shop.models import BasketLine

COUNT_SESSION_KEY = "basket_count"


def _count(*, user_id=None, basket_id=None) -> int:
    if user_id is not None:
        lines = BasketLine.objects.filter(basket__user_id=user_id)
    elif basket_id is not None:
        lines = BasketLine.objects.filter(basket_id=basket_id, basket__user__isnull=True)
    else:
        return 0
    return lines.aggregate(n=Sum("quantity"))["n"] or 0


def basket_count_remember(*, session, basket=None, count: int | None = None) -> None:
    """Store the header's count: `count` if given, else `basket`'s (one query)."""
    if count is None:
        if basket is None:
            count = 0
        elif basket.user_id is None:
            count = _count(basket_id=basket.pk)
        else:
            count = _count(user_id=basket.user_id)
    if session.get(COUNT_SESSION_KEY) != count:
        session[COUNT_SESSION_KEY] = count


def basket_count_in(session) -> int:
    """The header's count; computed and stored once if the session has none. A visitor
    with neither an account nor a basket costs nothing and gets no session."""
    count = session.get(COUNT_SESSION_KEY)
    if count is not None:
        return count
    user_id, basket_id = session.get(USER_SESSION_KEY), session.get(BASKET_SESSION_KEY)
    if user_id is None and basket_id is None:
        return 0
    count = _count(user_id=user_id, basket_id=basket_id)
    session[COUNT_SESSION_KEY] = count
    return count
