"""Payments, the gateway events we processed, and refunds."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_cryptography.fields import encrypt

from offtek.money import Money
from shop.models.orders import Order


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Created")
    REQUIRES_ACTION = "requires_action", _("Awaiting 3-D Secure")
    PROCESSING = "processing", _("Processing")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Payment(models.Model):
    """One attempt to pay for an order through a gateway. Holds no card number: at
    most the brand, the last four digits, the card's country, the issuer's checks and
    the provider's risk level, all encrypted at rest. The status is changed only by
    `shop.payments.services.payment_transition`."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    gateway = models.CharField(_("gateway"), max_length=20)
    reference = models.CharField(_("gateway reference"), max_length=100, blank=True)
    # Minor units of `currency`, which is the order's (the gateway is asked for both,
    # and what it reports must match both).
    amount_pence = models.PositiveIntegerField(_("amount (minor units of the currency)"))
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    scenario = models.CharField(
        _("simulator scenario"), max_length=32, blank=True, help_text=_("Simulator only.")
    )
    # What the provider reported about the card and the payment's risk: CARD_FIELDS.
    card_brand = encrypt(models.CharField(_("card brand"), max_length=20, blank=True))
    card_last4 = encrypt(models.CharField(_("card last four digits"), max_length=4, blank=True))
    failure_message = models.CharField(_("failure message"), max_length=200, blank=True)
    card_country = encrypt(models.CharField(_("card country"), max_length=2, blank=True))
    cvc_check = encrypt(models.CharField(_("CVC check"), max_length=16, blank=True))
    postcode_check = encrypt(models.CharField(_("postcode check"), max_length=16, blank=True))
    risk_level = encrypt(models.CharField(_("risk level"), max_length=16, blank=True))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "reference"],
                condition=~models.Q(reference=""),
                name="payment_unique_reference",
            ),
        ]

    def __str__(self):
        return f"{self.gateway} {self.reference or self.pk}"

    @property
    def amount(self) -> Money:
        return Money(self.amount_pence, self.currency)


# What a payment provider may report about the card and the payment's risk, kept
# encrypted on the payment (the fraud rules read them). The one list of them: the
# gateways' results, the payment services, the export and retention all read it.
CARD_FIELDS = (
    "card_brand",
    "card_last4",
    "card_country",
    "cvc_check",
    "postcode_check",
    "risk_level",
)


class PaymentEvent(models.Model):
    """A gateway event (webhook) we processed, at most once: the unique event id
    makes every redelivery a no-op."""

    gateway = models.CharField(_("gateway"), max_length=20)
    event_id = models.CharField(_("event id"), max_length=100)
    kind = models.CharField(_("type"), max_length=64)
    payment = models.ForeignKey(
        Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="paymentevent_unique_id"),
        ]

    def __str__(self):
        return f"{self.kind} {self.event_id}"


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Refund(models.Model):
    """Money given back through the gateway, in full or in part. Only a succeeded
    refund counts towards the order's refunded total; card refunds can stay pending
    for a while and can fail."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    # Minor units of the payment's currency.
    amount_pence = models.PositiveIntegerField(_("amount (minor units of the currency)"))
    reference = models.CharField(_("gateway reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RefundStatus.choices, default=RefundStatus.SUCCEEDED
    )
    failure_reason = models.CharField(_("failure reason"), max_length=100, blank=True)
    counts_towards_order = models.BooleanField(
        _("counts towards the order"),
        default=True,
        help_text=_("False for money given back on a payment that never paid the order."),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_pence__gt=0), name="refund_positive"),
            models.UniqueConstraint(
                fields=["payment", "reference"],
                condition=~models.Q(reference=""),
                name="refund_unique_reference",
            ),
        ]

    def __str__(self):
        return f"{self.amount_pence} on {self.payment_id}"

    @property
    def amount(self) -> Money:
        return Money(self.amount_pence, self.payment.currency)
