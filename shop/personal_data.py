"""The shop's personal data, declared for the privacy app (see privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy import registry, retention
from privacy.policy import fides
from privacy.retention import inactivity
from shop.addresses.layout import country_name
from shop.checkout.delivery import delivery_option_name
from shop.invoices import personal_data as invoice_personal_data  # noqa: F401 - tax records
from shop.models import (
    Address,
    Basket,
    ClaimStatus,
    Manufacturer,
    Order,
    OrderLine,
    Payment,
    ReviewInvitation,
    SmsMessage,
    WarrantyClaim,
    WarrantyClaimEvent,
    Withdrawal,
)
from shop.models.payments import CARD_FIELDS
from shop.orders.retention import orders_anonymise, orders_past_legal_hold

ORDER_ADDRESS = [
    "delivery_name",
    "delivery_line1",
    "delivery_line2",
    "delivery_city",
    "delivery_postcode",
    "delivery_phone",
]


def _order_export(order):
    return {
        "number": order.number,
        "status": order.status,
        "placed": order.created_at.isoformat(),
        "paid": order.paid_at.isoformat() if order.paid_at else None,
        "currency": order.currency,
        "subtotal_pence": order.subtotal_pence,
        "delivery_pence": order.delivery_pence,
        "total_pence": order.total_pence,
        "refunded_pence": order.refunded_pence,
        "delivery_option": order.delivery_option,
        "delivery_address": {
            name: getattr(order, name) for name in [*ORDER_ADDRESS, "delivery_country"]
        },
        "language": order.language,
        "dispatched": order.dispatched_at.isoformat() if order.dispatched_at else None,
        "delivered": order.delivered_at.isoformat() if order.delivered_at else None,
        "courier": order.courier,
        "tracking_number": order.tracking_number,
        # A keyed hash of the network the order came from (fraud checks), not the address.
        "client_ip_hash": order.client_ip_hash,
        "lines": [
            {
                "part_number": line.part_number,
                "description": line.description,
                "unit_price_pence": line.unit_price_pence,
                "quantity": line.quantity,
                "warranty_years": line.warranty_years,
            }
            for line in order.lines.all()
        ],
    }


def _basket_export(basket):
    return {
        "updated": basket.updated_at.isoformat(),
        "market": basket.market,
        "lines": [
            {"module": line.module.part_number, "quantity": line.quantity}
            for line in basket.lines.all()
        ],
    }


def _payment_export(payment):
    # Everything stored about the payment (no full card number is ever stored).
    return {
        "order": payment.order.number,
        "gateway": payment.gateway,
        "gateway_reference": payment.reference,
        "amount_pence": payment.amount_pence,
        "currency": payment.currency,
        "status": payment.status,
        **{name: getattr(payment, name) for name in CARD_FIELDS},
        "failure_message": payment.failure_message,
        "when": payment.created_at.isoformat(),
    }


registry.declare(
    Address,
    title=_("Your address book"),
    values={"country": country_name},
    categories=["contact", "identity"],
    purpose="orders",
    fields=["name", "line1", "line2", "city", "postcode", "country", "phone"],
    retention="account",
    owner="user",
    erase=registry.Erase.DELETE,
)

registry.declare(
    Order,
    title=_("Your orders"),
    labels={
        "subtotal_pence": _("items"),
        "delivery_pence": _("delivery"),
        "total_pence": _("total"),
        "refunded_pence": _("refunded"),
        "delivery_address": _("delivery address"),
        "part_number": _("part number"),
        "description": _("description"),
        "unit_price_pence": _("unit price"),
        "warranty_years": _("warranty (years)"),
    },
    values={"delivery_country": country_name, "delivery_option": delivery_option_name},
    categories=["contact", "identity", "transaction", "technical"],
    purpose="orders",
    fields=[
        *ORDER_ADDRESS,
        "delivery_country",
        "number",
        "warranty_email",
        "total_pence",
        "created_at",
        "courier",
        "tracking_number",
        "client_ip_hash",
    ],
    # Besides "orders": the review service gets the name on the order (never its
    # address or phone), fraud checks compare countries, warranty claims reach the
    # customer by the warranty e-mail under the name on the order.
    reads={
        "review-invitations": ["delivery_name"],
        "fraud-prevention": ["delivery_country"],
        "warranty": ["delivery_name", "warranty_email"],
        # Invoices name the buyer and their address (a tax record).
        "tax-records": [
            "delivery_name",
            "delivery_line1",
            "delivery_line2",
            "delivery_city",
            "delivery_postcode",
            "delivery_country",
        ],
    },
    retention="tax-records",
    owner="user",
    export=_order_export,
    prefetch_related=["lines"],
    # At closure: kept for tax under a legal hold, detached from the login.
    closure=registry.Closure.HOLD,
    detach="user",
    hold_field="legal_hold_until",
    # Kept for tax, then anonymised: what was sold, for how much, when and to which
    # country survives for statistics; nothing that points to a person does.
    erase=registry.Erase.ANONYMISE,
    anonymise={
        **{name: "" for name in ORDER_ADDRESS},
        "tracking_number": "",
        "client_ip_hash": "",
        "warranty_email": "",
    },
)

registry.declare(
    Payment,
    title=_("Your payments"),
    labels={
        "order": _("order"),
        "amount_pence": _("amount"),
        "card_brand": _("card"),
        "gateway_reference": _("payment reference"),
    },
    categories=["financial", "transaction"],
    purpose="orders",
    fields=[
        *CARD_FIELDS,
        "failure_message",
        "amount_pence",
        "created_at",
    ],
    reads={"fraud-prevention": ["card_country", "cvc_check", "postcode_check", "risk_level"]},
    retention="tax-records",
    owner="order__user",
    export=_payment_export,
    select_related=["order"],
    # Only the order number is exported here: do not decrypt the order's address.
    defer=[f"order__{name}" for name in [*ORDER_ADDRESS, "delivery_country"]],
    closure=registry.Closure.HOLD,  # follows its order
    erase=registry.Erase.ANONYMISE,
    anonymise={"card_last4": "", "failure_message": ""},
)

registry.declare(
    Basket,
    title=_("Your basket"),
    labels={"module": _("part number")},
    categories=["transaction"],
    purpose="orders",
    fields=["created_at", "updated_at"],
    retention="abandoned-basket",
    owner="user",
    export=_basket_export,
    prefetch_related=["lines__module"],
    erase=registry.Erase.DELETE,
)


def _claim_status_name(code):
    return dict(ClaimStatus.choices).get(code, code)


def _claim_export(claim):
    return {
        "claim": claim.number,
        "order": claim.line.order.number,
        "part_number": claim.line.part_number,
        "reason": claim.reason,
        "symptoms": claim.symptoms,
        "status": claim.status,
        "opened": claim.created_at.isoformat(),
        "steps": [
            {"to": event.to_status, "note": event.note, "when": event.created_at.isoformat()}
            for event in claim.events.all()
        ],
    }


registry.declare(
    SmsMessage,
    title=_("Text messages we sent you"),
    categories=["contact"],
    purpose="orders",
    fields=["to_number", "body", "status", "created_at"],
    retention="account",
    owner="order__user",
    erase=registry.Erase.DELETE,
)

# Warranty claims live as long as the lifetime-warranty purchase they are about.
registry.declare(
    WarrantyClaim,
    title=_("Your warranty claims"),
    labels={
        "claim": _("claim"),
        "order": _("order"),
        "part_number": _("part number"),
        "steps": _("steps"),
        "to": _("new status"),
        "note": _("note"),
    },
    aliases={"to": "status"},
    categories=["transaction", "correspondence"],
    purpose="warranty",
    fields=["number", "reason", "symptoms", "status", "created_at"],
    retention="lifetime-warranty",
    owner="user",
    export=_claim_export,
    erase=registry.Erase.DELETE,
)

registry.declare(
    WarrantyClaimEvent,
    title=_("Steps of your warranty claims"),
    values={"to_status": _claim_status_name, "from_status": _claim_status_name},
    categories=["correspondence"],
    purpose="warranty",
    fields=["to_status", "note", "created_at"],
    retention="lifetime-warranty",
    owner="claim__user",
    erase=registry.Erase.DELETE,
)

registry.declare(
    ReviewInvitation,
    title=_("Invitations to review your purchases"),
    categories=["marketing", "transaction"],
    purpose="review-invitations",
    fields=["provider", "created_at"],
    retention="account",
    owner="order__user",
    erase=registry.Erase.DELETE,
)


def _withdrawal_export(withdrawal):
    return {
        "reference": withdrawal.reference,
        "order": withdrawal.order.number,
        "status": withdrawal.status,
        "name": withdrawal.name,
        "email": withdrawal.email,
        "statement": withdrawal.statement,
        "received": withdrawal.received_at.isoformat(),
        "refund_due": withdrawal.refund_due.isoformat(),
        "goods_received": (
            withdrawal.goods_received_at.isoformat() if withdrawal.goods_received_at else None
        ),
        "refunded": withdrawal.refunded_at.isoformat() if withdrawal.refunded_at else None,
        "part_numbers": [item.line.part_number for item in withdrawal.lines.all()],
    }


# A withdrawal leads to a refund and a credit note: a tax record, held with its order
# at closure, and anonymised with it when the hold ends (shop.orders.retention).
registry.declare(
    Withdrawal,
    title=_("Your withdrawals from purchases"),
    labels={
        "order": _("order"),
        "received": _("received"),
        "refund_due": _("refund due by"),
        "goods_received": _("goods received back"),
        "refunded": _("refunded"),
        "part_numbers": _("part numbers"),
    },
    categories=["contact", "identity", "transaction"],
    purpose="orders",
    fields=["name", "email", "statement", "received_at", "status"],
    retention="tax-records",
    owner="order__user",
    export=_withdrawal_export,
    select_related=["order"],
    prefetch_related=["lines__line"],
    defer=[f"order__{name}" for name in [*ORDER_ADDRESS, "delivery_country"]],
    closure=registry.Closure.HOLD,  # follows its order
    erase=registry.Erase.ANONYMISE,
    anonymise={"name": "", "email": "", "statement": "", "staff_note": ""},
)

registry.exempt(Manufacturer, reason="The name of a computer maker, not of a person.")

# At closure the customer may keep their lifetime warranties: the orders are then kept
# (detached from the login) for as long as they want to claim, not only for tax.
registry.closure_option(
    key="lifetime-warranty",
    model=Order,
    rows={"lines__warranty_years__isnull": True},
    # The address a former customer proves the purchase with and is written to.
    mark={"warranty_kept": True, "warranty_email": lambda user: user.email},
    retention="lifetime-warranty",
    # Claims are kept with the warranty they belong to, detached from the login and
    # minimised to what honouring a claim needs: the order line (so the part number
    # and the purchase date), the reason code, the status and the dates of each step.
    # The customer's own words about the fault and the staff notes written to them go.
    keeps=[
        registry.Kept(WarrantyClaim, "line__order", detach="user", minimise={"symptoms": ""}),
        registry.Kept(WarrantyClaimEvent, "claim__line__order", minimise={"note": ""}),
    ],
    page="shop:kept-warranty",
    label=_("Keep my lifetime warranties"),
    warning=_(
        "If you do not keep them, we can no longer handle a warranty claim for these "
        "purchases once your account is closed."
    ),
)

# Retention jobs for the shop's data ------------------------------------------------

retention.register(
    rule="abandoned-basket",
    model=Basket,
    due=lambda now, period: Basket.objects.filter(updated_at__lt=now - period),
    act=retention.delete_rows,
)
# The end of a legal hold: orders kept for tax after a closure are anonymised (with
# their payments, history and fulfilment rows) once the hold has passed.
retention.register(
    rule="tax-records",
    model=Order,
    due=orders_past_legal_hold,
    act=orders_anonymise,
    name="tax-records: orders past their legal hold, with payments and history",
)
# Ordering is activity: an account with recent orders is not closed for inactivity.
inactivity.activity_register(lookup="orders__created_at")
retention.register_kept(
    rule="lifetime-warranty",
    model=OrderLine,
    rows=lambda now: OrderLine.objects.filter(warranty_years__isnull=True),
    name="lifetime-warranty: purchases with a lifetime warranty",
)


# The shop's fields in the data map (privacy.datamap, fideslang categories).
fides.field_categories_declare(
    {
        "amount_pence": "user.behavior.purchase_history",
        "body": "user.content.private",
        "card_brand": "user.financial.credit_card",
        "card_country": "user.financial.credit_card",
        "card_last4": "user.financial.credit_card",
        "city": "user.contact.address.city",
        "client_ip_hash": "user.unique_id.pseudonymous",
        "country": "user.contact.address.country",
        "courier": "user.behavior.purchase_history",
        "cvc_check": "user.financial.credit_card",
        "delivery_city": "user.contact.address.city",
        "delivery_country": "user.contact.address.country",
        "delivery_line1": "user.contact.address.street",
        "delivery_line2": "user.contact.address.street",
        "delivery_name": "user.name",
        "delivery_phone": "user.contact.phone_number",
        "delivery_postcode": "user.contact.address.postal_code",
        "failure_message": "user.financial",
        "line1": "user.contact.address.street",
        "line2": "user.contact.address.street",
        "note": "user.content.private",
        "number": "user.behavior.purchase_history",
        "postcode": "user.contact.address.postal_code",
        "postcode_check": "user.financial.credit_card",
        "provider": "system.operations",
        "reason": "user.content.private",
        "received_at": "system.operations",
        "risk_level": "user.financial",
        "statement": "user.content.private",
        "status": "system.operations",
        "symptoms": "user.content.private",
        "to_number": "user.contact.phone_number",
        "to_status": "system.operations",
        "total_pence": "user.behavior.purchase_history",
        "tracking_number": "user.unique_id.pseudonymous",
        "updated_at": "system.operations",
        "warranty_email": "user.contact.email",
    },
    overrides={"shop.reviewinvitation.provider": "user.privacy_preferences"},
)
