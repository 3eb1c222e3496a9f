"""Who may see an order: signed in, with a verified e-mail address (the policy's
promise that order data is reachable only after e-mail + password), and only their
own orders. Used by checkout, payment and order pages."""

from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from privacy.encryption import encrypted_field_names
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


def own_order(request, number: str, *, with_personal_fields: bool = True) -> Order:
    """The signed-in customer's order `number` (404 if it is not theirs). Without its
    personal fields (the delivery address, ...) for a page that shows none of them:
    they are then neither read nor decrypted, unless something asks for one."""
    orders = orders_for(user=request.user)
    if not with_personal_fields:
        orders = orders.defer(*encrypted_field_names(Order))
    return get_object_or_404(orders, number=number)
