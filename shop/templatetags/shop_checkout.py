from django import template

from shop.basket.header import basket_count_in

register = template.Library()


@register.simple_tag(takes_context=True)
def basket_count(context) -> int:
    """How many items the shopper's basket holds (kept in the session, no query)."""
    request = context.get("request")
    if request is None or getattr(request, "session", None) is None:
        return 0
    return basket_count_in(request.session)
