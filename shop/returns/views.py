"""The withdrawal function on the web: the button on the order page (a part of it),
the statement with its "Confirm withdrawal" button, and the way in from the footer for
someone who is not signed in (order number and e-mail address, then a link)."""

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from privacy.accounts.services import request_client
from privacy.consent.purposes import uses_personal_data
from privacy.purposes import purpose
from shop.models import Withdrawal
from shop.orders.access import own_order
from shop.orders.views import order_page_part
from shop.returns.forms import WithdrawalFindForm, WithdrawalStatementForm
from shop.returns.links import (
    WithdrawalLinkRateLimited,
    withdrawal_link_request,
    withdrawal_order_from_link,
)
from shop.returns.period import withdrawal_period
from shop.returns.services import (
    WithdrawalRefused,
    lines_withdrawable,
    withdrawal_confirm,
    withdrawal_refusal,
)

DONE_KEY = "withdrawal_done"


@order_page_part
def order_page_withdrawal(*, order, lines, user, bound_form, bound_line_id) -> dict:
    """The "Withdraw from contract here" button while the period runs, and the
    withdrawals made."""
    return {
        "withdrawal_period": withdrawal_period(order),
        "withdrawal_open": withdrawal_refusal(order) is None,
        "withdrawals": list(order.withdrawals.all()),
    }


@uses_personal_data("orders", categories=["identity", "contact", "transaction"])
def _statement_initial(order) -> dict:
    user = order.user
    name = f"{user.first_name} {user.last_name}".strip() if user else ""
    return {
        "name": name or order.delivery_name,
        "email": user.email if user else "",
        "lines": [line.pk for line in lines_withdrawable(order)],
    }


def _statement_page(request, order, *, via_link: bool, action: str):
    """Step one shows the statement, filled in; "Confirm withdrawal" records it."""
    refusal = withdrawal_refusal(order)
    lines = lines_withdrawable(order)
    if request.method == "POST":
        form = WithdrawalStatementForm(request.POST, lines=lines)
        if refusal is None and form.is_valid():
            try:
                withdrawal = withdrawal_confirm(
                    order=order,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    line_ids=form.cleaned_data["lines"],
                    language=get_language() or "en",
                    via_link=via_link,
                )
            except WithdrawalRefused as error:
                refusal = str(error)
            else:
                request.session[DONE_KEY] = withdrawal.pk
                return redirect("shop:withdrawal-done")
    else:
        form = WithdrawalStatementForm(initial=_statement_initial(order), lines=lines)
    context = {
        "order": order,
        "form": form,
        "refusal": refusal,
        "period": withdrawal_period(order),
        "action": action,
    }
    status = 200 if request.method == "GET" else (409 if refusal else 400)
    return render(request, "shop/returns/statement_form.html", context, status=status)


@login_required
def withdrawal_start(request, number: str):
    order = own_order(request, number)
    return _statement_page(request, order, via_link=False, action=request.path)


def withdrawal_link(request, token: str):
    order = withdrawal_order_from_link(token=token)
    if order is None:
        form = WithdrawalFindForm()
        context = {"form": form, "error": _("This link is not valid or has expired.")}
        return render(request, "shop/returns/find.html", context, status=400)
    return _statement_page(request, order, via_link=True, action=request.path)


def _answer_no_sooner_than(started: float) -> None:
    """Every answer to the footer form takes the same time, match or not."""
    remaining = settings.SHOP_WITHDRAWAL_ANSWER_SECONDS - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


def withdrawal_find(request):
    """From the footer: the order number and the account's e-mail address."""
    form = WithdrawalFindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        started = time.monotonic()
        try:
            withdrawal_link_request(
                number=form.cleaned_data["number"],
                email=form.cleaned_data["email"],
                language=get_language() or "en",
                ip=request_client(request)[0],
            )
        except WithdrawalLinkRateLimited:
            context = {"form": form, "error": _("Too many attempts: please try again later.")}
            return render(request, "shop/returns/find.html", context, status=429)
        _answer_no_sooner_than(started)
        return render(request, "shop/returns/link_sent.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "shop/returns/find.html", {"form": form}, status=status)


def withdrawal_done(request):
    """The confirmed statement, once, to the browser that confirmed it."""
    pk = request.session.pop(DONE_KEY, None)
    withdrawal = Withdrawal.objects.filter(pk=pk).first() if pk else None
    if withdrawal is None:
        return redirect("shop:withdrawal-find")
    # Shown once to the browser that confirmed it (a guest through an e-mailed link
    # too): the statement is read for the order it withdraws from.
    with purpose("orders", subject=withdrawal.order.user_id):
        return render(request, "shop/returns/done.html", {"withdrawal": withdrawal})
