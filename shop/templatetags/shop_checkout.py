from django import template
from django.db.models import Sum

from shop.basket.services import SESSION_KEY
from shop.models import BasketLine

register = template.Library()


@register.simple_tag(takes_context=True)
def basket_count(context) -> int:
    """How many items the shopper's basket holds (one query)."""
    request = context.get("request")
    if request is None:
        return 0
    if request.user.is_authenticated:
        lines = BasketLine.objects.filter(basket__user=request.user)
    else:
        basket_id = request.session.get(SESSION_KEY)
        if basket_id is None:
            return 0
        lines = BasketLine.objects.filter(basket_id=basket_id, basket__user__isnull=True)
    return lines.aggregate(n=Sum("quantity"))["n"] or 0
