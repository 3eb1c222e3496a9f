"""Who may see an order: signed in, with a verified e-mail address (the policy's
promise that order data is reachable only after e-mail + password), and only their
own orders. Used by checkout, payment and order pages."""

from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from shop.models import Order
from shop.orders.selectors import orders_for


def verified_customer_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not EmailAddress.objects.filter(user=request.user, verified=True).exists():
            messages.warning(request, _("Please verify your e-mail address before checking out."))
            return redirect("account_email")
        return view(request, *args, **kwargs)

    return wrapped


def own_order(request, number: str) -> Order:
    return get_object_or_404(orders_for(user=request.user), number=number)
