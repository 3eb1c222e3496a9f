from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from shop.basket.header import basket_count_remember
from shop.basket.services import basket_get, basket_merge_at_login
from shop.markets.services import market_restore_at_login


@receiver(user_logged_in, dispatch_uid="shop.basket.merge_at_login")
def basket_merge_on_login(sender, request, user, **kwargs):
    basket_merge_at_login(user=user, session=request.session)
    market_restore_at_login(user=user, session=request.session)
    basket = basket_get(user=user, session=request.session)
    basket_count_remember(session=request.session, basket=basket)
