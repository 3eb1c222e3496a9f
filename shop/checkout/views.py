from datetime import timedelta
from functools import wraps

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from privacy.accounts.services import request_client
from shop.basket.selectors import basket_summary
from shop.basket.services import basket_get, basket_get_or_create, basket_refill_from_order
from shop.checkout.delivery import DELIVERY_OPTIONS
from shop.checkout.forms import CheckoutForm
from shop.checkout.services import CheckoutError, order_place
from shop.models import Order, OrderStatus, Payment, PaymentStatus
from shop.orders.reservations import (
    order_reservation_ran_out,
    orders_ran_out_since,
    reservations_release_expired,
)
from shop.orders.selectors import orders_for
from shop.payments.base import GatewayError
from shop.payments.forms import SimulatorCardForm
from shop.payments.registry import gateway_get


def verified_customer_required(view):
    """Signed in, with a verified e-mail address: the policy's promise that order
    data is reachable only after e-mail + password."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not EmailAddress.objects.filter(user=request.user, verified=True).exists():
            messages.warning(request, _("Please verify your e-mail address before checking out."))
            return redirect("account_email")
        return view(request, *args, **kwargs)

    return wrapped


def _own_order(request, number: str) -> Order:
    return get_object_or_404(orders_for(user=request.user), number=number)


@verified_customer_required
def checkout(request):
    basket = basket_get(user=request.user, session=request.session)
    summary = basket_summary(basket=basket)
    if summary.is_empty:
        messages.info(request, _("Your basket is empty."))
        return redirect("shop:basket-detail")
    form = CheckoutForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_place(
                user=request.user,
                basket=basket,
                address=form.delivery_address(),
                delivery_code=form.cleaned_data["delivery"],
                save_address=form.save_address_wanted,
                client_ip=request_client(request)[0],
            )
        except CheckoutError as error:
            messages.error(request, str(error))
            return redirect("shop:basket-detail")
        return redirect("shop:checkout-pay", number=order.number)
    return render(
        request,
        "shop/checkout.html",
        {
            "form": form,
            "summary": summary,
            "delivery_options": DELIVERY_OPTIONS.values(),
            "ran_out": orders_ran_out_since(
                user=request.user, since=timezone.now() - timedelta(days=1)
            ),
            "reservation_minutes": settings.SHOP_RESERVATION_MINUTES,
        },
    )


@verified_customer_required
def checkout_pay(request, number: str):
    order = _own_order(request, number)
    # A reservation that has ended is released now, even if the queue has not run yet.
    reservations_release_expired(orders=Order.objects.filter(pk=order.pk))
    order.refresh_from_db()
    if order.status != OrderStatus.PENDING_PAYMENT:
        return redirect("shop:checkout-done", number=order.number)
    gateway = gateway_get()
    return_url = request.build_absolute_uri(
        reverse("shop:checkout-return", kwargs={"number": order.number})
    )
    try:
        start = gateway.payment_start(order=order, return_url=return_url)
    except GatewayError as error:
        messages.error(request, str(error))
        return redirect("shop:order-detail", number=order.number)
    if start.redirect_url:
        return redirect(start.redirect_url)
    return render(
        request,
        "shop/checkout_pay_stripe.html",
        {
            "order": order,
            "client_secret": start.client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "return_url": return_url,
        },
    )


@verified_customer_required
def checkout_return(request, number: str):
    """The customer is back from the card form. Only a server-side check changes
    anything; the query string is never trusted."""
    order = _own_order(request, number)
    payment = order.payments.filter(gateway=settings.PAYMENT_GATEWAY).first()
    if payment is not None:
        gateway_get(payment.gateway).payment_return(payment=payment)
    return redirect("shop:checkout-done", number=order.number)


@verified_customer_required
def checkout_done(request, number: str):
    order = _own_order(request, number)
    payment = order.payments.first()
    context = {
        "order": order,
        "payment": payment,
        "reservation_ran_out": order_reservation_ran_out(order),
        "reservation_minutes": settings.SHOP_RESERVATION_MINUTES,
    }
    return render(request, "shop/checkout_done.html", context)


@require_POST
@verified_customer_required
def checkout_rebasket(request, number: str):
    """After a failed payment: the cancelled order's modules back into the basket."""
    order = _own_order(request, number)
    if order.status == OrderStatus.CANCELLED:
        basket = basket_get_or_create(user=request.user, session=request.session)
        if basket_refill_from_order(basket=basket, order=order):
            messages.success(request, _("The modules are back in your basket."))
        else:
            messages.error(request, _("These modules are no longer in stock."))
    return redirect("shop:basket-detail")


def _simulator_payment(request, number: str, payment_id: int) -> Payment:
    if settings.PAYMENT_GATEWAY != "simulator":
        raise Http404
    order = _own_order(request, number)
    return get_object_or_404(
        order.payments.select_related("order"), pk=payment_id, gateway="simulator"
    )


@sensitive_post_parameters("number", "cvc", "expiry")
@verified_customer_required
def simulator_card(request, number: str, payment_id: int):
    payment = _simulator_payment(request, number, payment_id)
    awaiting = payment.order.status == OrderStatus.PENDING_PAYMENT
    if awaiting and payment.status == PaymentStatus.REQUIRES_ACTION:
        # The form came twice (a double click): the first one asked for 3-D Secure.
        return redirect("shop:simulator-challenge", number=number, payment_id=payment.pk)
    if payment.status != PaymentStatus.CREATED or not awaiting:
        return redirect("shop:checkout-done", number=number)
    form = SimulatorCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        payment = gateway_get("simulator").card_submit(
            payment=payment, number=form.cleaned_data["number"]
        )
        if payment.status == PaymentStatus.REQUIRES_ACTION:
            return redirect("shop:simulator-challenge", number=number, payment_id=payment.pk)
        return redirect("shop:checkout-done", number=number)
    return render(request, "shop/simulator_card.html", {"form": form, "payment": payment})


@verified_customer_required
def simulator_challenge(request, number: str, payment_id: int):
    payment = _simulator_payment(request, number, payment_id)
    if payment.status != PaymentStatus.REQUIRES_ACTION:
        return redirect("shop:checkout-done", number=number)
    if request.method == "POST":
        gateway_get("simulator").challenge_complete(
            payment=payment, approved=request.POST.get("decision") == "approve"
        )
        return redirect("shop:checkout-done", number=number)
    return render(request, "shop/simulator_challenge.html", {"payment": payment})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    result = gateway_get("stripe").webhook_handle(
        body=request.body, signature=request.headers.get("Stripe-Signature", "")
    )
    return HttpResponse(result.message, status=result.status, content_type="text/plain")
