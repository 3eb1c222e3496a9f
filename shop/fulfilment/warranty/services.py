"""Warranty claims (RMA): opened by the customer on an order line, processed by staff
through one transition function, with an e-mail to the customer at each step."""

import datetime
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from privacy.consent.purposes import uses_personal_data
from privacy.emails import email_send
from privacy.lifecycle import IllegalTransition, Lifecycle, lifecycle_move
from shop.customer_pages.moments import changes_at
from shop.models import ClaimStatus, OrderLine, OrderStatus, WarrantyClaim, WarrantyClaimEvent
from shop.orders.selectors import order_language

C = ClaimStatus

# Allowed moves, as data.
CLAIM_LIFECYCLE = Lifecycle(
    moves={
        C.OPEN: frozenset({C.APPROVED, C.REJECTED}),
        C.APPROVED: frozenset({C.RECEIVED, C.CLOSED}),
        C.RECEIVED: frozenset({C.REPLACED, C.REFUNDED}),
        C.REPLACED: frozenset({C.CLOSED}),
        C.REFUNDED: frozenset({C.CLOSED}),
        C.REJECTED: frozenset(),
        C.CLOSED: frozenset(),
    }
)
CLAIM_TRANSITIONS = CLAIM_LIFECYCLE.moves

# Orders whose modules reached (or are on their way to) the customer.
CLAIMABLE_ORDER_STATUSES = (OrderStatus.DISPATCHED, OrderStatus.DELIVERED)


class ClaimRefused(Exception):
    """The customer cannot open this claim; the text is translated and safe to show."""


# A claim's illegal move is the shared lifecycle's exception (kept under its old name).
IllegalClaimTransition = IllegalTransition


def line_warranty_ends(*, line: OrderLine) -> datetime.datetime | None:
    """None for a lifetime warranty."""
    if line.warranty_years is None:
        return None
    start = line.order.paid_at or line.order.created_at
    ends = start + datetime.timedelta(days=365 * line.warranty_years + line.warranty_years // 4)
    changes_at(ends)  # a kept page offering a claim ends with the warranty
    return ends


@uses_personal_data("warranty", categories=["identity", "transaction"])
def line_claim_refusal(*, line: OrderLine, user, now=None, former: bool = False) -> str:
    """Why `user` cannot claim on `line` now, or "" when they can. ``former``: a former
    customer claiming on a warranty they kept at closure (proven by a link sent to
    their address, see shop.warranty.kept)."""
    order = line.order
    if former:
        if not (order.warranty_kept and order.user_id is None) or line.warranty_years is not None:
            return _("This purchase is not a lifetime warranty kept after an account closure.")
    # The purchase record must still be the customer's: an order detached from its
    # account (or anonymised) by erasure can no longer take claims.
    elif user is None or not user.is_authenticated or order.user_id != user.pk:
        return _("This order line is not one of your purchases.")
    if not order.delivery_name:
        return _("This purchase record was erased at your request; it cannot take claims.")
    if order.status not in CLAIMABLE_ORDER_STATUSES:
        return _("A claim can be opened once the order has been dispatched.")
    ends = line_warranty_ends(line=line)
    if ends is not None and ends < (now or timezone.now()):
        return _("The warranty on this module has ended.")
    if line.warranty_claims.exclude(status__in=[C.REJECTED, C.CLOSED]).exists():
        return _("A claim on this module is already in progress.")
    return ""


@transaction.atomic
def claim_open(
    *, user, line: OrderLine, reason: str, symptoms: str, former: bool = False
) -> WarrantyClaim:
    """Open a claim on one of the customer's order lines (``former``: on a kept
    warranty, with no account, ``user`` None). Raises ClaimRefused (changing nothing)
    for another customer's line, an ended warranty, or a claim already in progress on
    the line (a double submission)."""
    line = OrderLine.objects.select_for_update().select_related("order").get(pk=line.pk)
    refusal = line_claim_refusal(line=line, user=user, former=former)
    if refusal:
        raise ClaimRefused(refusal)
    try:
        with transaction.atomic():
            claim = WarrantyClaim.objects.create(
                number=f"RMA-{timezone.now():%Y}-{secrets.token_hex(4).upper()}",
                line=line,
                user=None if former else user,
                reason=reason,
                symptoms=symptoms.strip(),
                language=order_language(line.order),
            )
    except IntegrityError:
        raise ClaimRefused(_("A claim on this module is already in progress.")) from None
    WarrantyClaimEvent.objects.create(claim=claim, to_status=C.OPEN)
    transaction.on_commit(lambda: claim_email_send(claim=claim, note=""))
    return claim


def claim_transition(*, claim: WarrantyClaim, to: str, note: str = "") -> bool:
    """Move the claim to `to` through the shared lifecycle skeleton: locks the row,
    does nothing when already there, raises IllegalClaimTransition for a move the
    table forbids. The customer is e-mailed once the move is committed."""

    def on_enter(locked: WarrantyClaim, from_status: str) -> None:
        WarrantyClaimEvent.objects.create(
            claim=locked, from_status=from_status, to_status=to, note=note
        )
        transaction.on_commit(lambda: claim_email_send(claim=locked, note=note))

    # The history's change reason is stored in clear: it names the step, never the
    # note (which the event keeps, encrypted).
    return lifecycle_move(
        lifecycle=CLAIM_LIFECYCLE, row=claim, to=to, reason=f"claim {to}", on_enter=on_enter
    )


@uses_personal_data("warranty", categories=["contact", "transaction"])
def claim_email_send(*, claim: WarrantyClaim, note: str) -> None:
    claim.refresh_from_db()
    order = claim.line.order
    # A former customer (kept warranty) is written to at the address kept with it.
    language = order_language(claim.line.order)
    with translation.override(language):
        if claim.user_id:
            page = reverse("shop:order-detail", kwargs={"number": order.number})
        else:
            page = reverse("shop:kept-warranty")
        order_url = settings.SITE_URL.rstrip("/") + page
    to = claim.user.email if claim.user_id else order.warranty_email
    if not to:
        return
    email_send(
        to=to,
        user=claim.user,
        template="shop/emails/warranty_claim",
        context={
            "claim": claim,
            "line": claim.line,
            "status": claim.status,
            "note": note,
            "order_url": order_url,
        },
        language=language,
        purpose="warranty",
    )
