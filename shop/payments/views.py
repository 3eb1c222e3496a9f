"""The payment provider's side of checkout: Stripe's webhook and the simulator's card
and 3-D Secure pages. Views stay thin: the gateway says what happened, the payment
services apply it."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from privacy.encryption import encrypted_field_names
from shop.customer_pages.store import customer_page
from shop.models import OrderStatus, Payment, PaymentStatus
from shop.orders.access import own_order, verified_customer_required
from shop.payments.forms import SimulatorCardForm
from shop.payments.registry import gateway_get
from shop.payments.services import payment_apply, webhook_receive


def _simulator_payment(request, number: str, payment_id: int) -> Payment:
    if settings.PAYMENT_GATEWAY != "simulator":
        raise Http404
    # The card form shows the amount and the order's lines: an order or a payment read
    # for it leaves its personal fields (address, card details) unread; a card sent
    # reads them all, as the payment and fraud services need them.
    reading = request.method == "GET"
    order = own_order(request, number, with_personal_fields=not reading)
    payments = order.payments.defer(*encrypted_field_names(Payment)) if reading else order.payments
    payment = get_object_or_404(payments, pk=payment_id, gateway="simulator")
    payment.order = order
    return payment


@customer_page
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
        result = gateway_get("simulator").card_submit(
            payment=payment, number=form.cleaned_data["number"]
        )
        payment_apply(payment=payment, result=result)
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
        result = gateway_get("simulator").challenge_complete(
            payment=payment, approved=request.POST.get("decision") == "approve"
        )
        payment_apply(payment=payment, result=result)
        return redirect("shop:checkout-done", number=number)
    return render(request, "shop/simulator_challenge.html", {"payment": payment})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    reply = webhook_receive(
        gateway="stripe",
        body=request.body,
        signature=request.headers.get("Stripe-Signature", ""),
    )
    return HttpResponse(reply.message, status=reply.status, content_type="text/plain")
