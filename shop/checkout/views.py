from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from privacy.accounts.services import request_client
from privacy.encryption import encrypted_field_names
from shop.basket.header import basket_count_remember
from shop.basket.selectors import basket_summary
from shop.basket.services import basket_get, basket_get_or_create, basket_refill_from_order
from shop.checkout.delivery import delivery_offers
from shop.checkout.forms import CheckoutForm
from shop.checkout.services import CheckoutError, MarketChanged, PricesChanged, order_place
from shop.customer_pages.store import customer_page
from shop.markets.selectors import market_for_request
from shop.markets.services import market_choose
from shop.models import Order, OrderStatus, Payment, PaymentStatus
from shop.orders.access import own_order, verified_customer_required
from shop.orders.reservations import (
    order_reservation_ran_out,
    orders_ran_out_since,
    reservations_release_expired,
)
from shop.payments.base import GatewayError
from shop.payments.services import payment_return, payment_start

# The outcomes Stripe.js reports on the return URL (?redirect_status=...).
REDIRECT_STATUSES = ("succeeded", "processing", "requires_payment_method")


@customer_page
@verified_customer_required
def checkout(request):
    basket = basket_get(user=request.user, session=request.session)
    summary = basket_summary(basket=basket, market=market_for_request(request))
    basket_count_remember(session=request.session, count=summary.item_count)
    if summary.is_empty:
        messages.info(request, _("Your basket is empty."))
        return redirect("shop:basket-detail")
    form = CheckoutForm(request.POST or None, user=request.user, shown=summary.subtotal)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_place(
                user=request.user,
                basket=basket,
                address=form.delivery_address(),
                delivery_code=form.cleaned_data["delivery"],
                save_address=form.save_address_wanted,
                client_ip=request_client(request)[0],
                shown_subtotal=form.shown_subtotal_money(),
            )
        except MarketChanged as change:
            # The delivery country is in another market: show the basket in its
            # currency, say so, and let the shopper confirm again before paying.
            market_choose(user=request.user, session=request.session, code=change.market.code)
            messages.warning(request, str(change))
            return _checkout_again(request, basket=basket, market=change.market)
        except PricesChanged as change:
            messages.error(request, str(change))
            return _checkout_again(request, basket=basket, market=summary.market)
        except CheckoutError as error:
            messages.error(request, str(error))
            return redirect("shop:basket-detail")
        basket_count_remember(session=request.session, count=0)  # the basket became the order
        return redirect("shop:checkout-pay", number=order.number)
    return _checkout_page(request, form=form, summary=summary)


def _checkout_again(request, *, basket, market):
    """The checkout page again after the prices moved: the address and options as the
    shopper filled them, the basket and the prices they now confirm in `market`."""
    summary = basket_summary(basket=basket, market=market)
    data = request.POST.copy()
    data["currency"], data["shown_subtotal"] = summary.subtotal.currency, summary.subtotal.minor
    form = CheckoutForm(data, user=request.user, shown=summary.subtotal)
    form.is_valid()
    return _checkout_page(request, form=form, summary=summary)


def _checkout_page(request, *, form, summary):
    return render(
        request,
        "shop/checkout.html",
        {
            "form": form,
            "summary": summary,
            "delivery_offers": delivery_offers(summary.market),
            "ran_out": orders_ran_out_since(
                user=request.user, since=timezone.now() - timedelta(days=1)
            ),
            "reservation_minutes": settings.SHOP_RESERVATION_MINUTES,
        },
    )


@verified_customer_required
def checkout_pay(request, number: str):
    order = own_order(request, number)
    # A reservation that has ended is released now, even if the queue has not run yet.
    reservations_release_expired(orders=Order.objects.filter(pk=order.pk))
    order.refresh_from_db()
    if order.status != OrderStatus.PENDING_PAYMENT:
        return redirect("shop:checkout-done", number=order.number)
    if order.payments.filter(status=PaymentStatus.PROCESSING).exists():
        return redirect("shop:checkout-done", number=order.number)
    return_url = request.build_absolute_uri(
        reverse("shop:checkout-return", kwargs={"number": order.number})
    )
    try:
        start = payment_start(order=order, return_url=return_url)
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
            "stripe_js_url": settings.STRIPE_JS_URL,
            "return_url": return_url,
        },
    )


@verified_customer_required
def checkout_return(request, number: str):
    """The customer is back from the card form. Only a server-side check changes
    anything; the query string is never trusted."""
    order = own_order(request, number)
    payment = order.payments.filter(gateway=settings.PAYMENT_GATEWAY).first()
    if payment is not None:
        payment_return(payment=payment)
    done = reverse("shop:checkout-done", kwargs={"number": order.number})
    said = request.GET.get("redirect_status", "")
    # What Stripe.js said in the browser is passed on only as a hint for the page
    # while the server has not heard the outcome; it changes nothing.
    return redirect(f"{done}?redirect_status={said}" if said in REDIRECT_STATUSES else done)


@customer_page
@verified_customer_required
def checkout_done(request, number: str):
    order = own_order(request, number, with_personal_fields=False)
    payment = order.payments.defer(*encrypted_field_names(Payment)).first()
    said = request.GET.get("redirect_status", "")
    context = {
        "order": order,
        "payment": payment,
        "redirect_status": said if said in REDIRECT_STATUSES else "",
        "reservation_ran_out": order_reservation_ran_out(order),
        "reservation_minutes": settings.SHOP_RESERVATION_MINUTES,
    }
    return render(request, "shop/checkout_done.html", context)


@require_POST
@verified_customer_required
def checkout_rebasket(request, number: str):
    """After a failed payment: the cancelled order's modules back into the basket."""
    order = own_order(request, number)
    if order.status == OrderStatus.CANCELLED:
        basket = basket_get_or_create(user=request.user, session=request.session)
        refilled = basket_refill_from_order(basket=basket, order=order)
        basket_count_remember(session=request.session, basket=basket)
        if refilled:
            messages.success(request, _("The modules are back in your basket."))
        else:
            messages.error(request, _("These modules are no longer in stock."))
    return redirect("shop:basket-detail")
