"""After payment: text messages to customers, warranty claims, review invitations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_cryptography.fields import encrypt

from privacy.history import HistoricalRecords
from privacy.models import OutboxMessage, OutboxStatus
from shop.models.orders import Order, OrderLine

# A text message's status is an outbox status (privacy.outbox).
SmsStatus = OutboxStatus


class SmsMessage(OutboxMessage):
    """One text message to a customer (the outbox): claimed, sent, retried with a
    growing delay, or dead for staff to re-send, as every outbox message is."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="sms_messages")
    kind = models.CharField(_("kind"), max_length=20)
    to_number = encrypt(models.CharField(_("mobile number"), max_length=32))
    body = encrypt(models.TextField(_("message")))
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "kind"], name="sms_once_per_order_kind"),
        ]

    def __str__(self):
        return f"{self.kind} {self.order_id}"


class ClaimStatus(models.TextChoices):
    OPEN = "open", _("Received, awaiting review")
    APPROVED = "approved", _("Approved: please send the module back")
    REJECTED = "rejected", _("Not accepted")
    RECEIVED = "received", _("Module received")
    REPLACED = "replaced", _("Replacement sent")
    REFUNDED = "refunded", _("Refunded")
    CLOSED = "closed", _("Closed")


class ClaimReason(models.TextChoices):
    NOT_DETECTED = "not_detected", _("Not detected by the computer")
    ERRORS = "errors", _("Memory errors or crashes")
    DAMAGED = "damaged", _("Physically damaged")
    OTHER = "other", _("Something else")


class WarrantyClaim(models.Model):
    """A customer's warranty claim (RMA) on one order line. The status is changed
    only by `shop.fulfilment.warranty.services.claim_transition`."""

    number = models.CharField(_("claim number"), max_length=24, unique=True)
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="warranty_claims")
    # None once the customer closed their account and kept the warranty.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warranty_claims",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ClaimReason.choices)
    symptoms = encrypt(models.TextField(_("what happens"), max_length=2000))
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.OPEN
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One claim in progress per order line: a double submission adds nothing.
            models.UniqueConstraint(
                fields=["line"],
                condition=~models.Q(status__in=["rejected", "closed"]),
                name="warrantyclaim_one_open_per_line",
            ),
        ]

    def __str__(self):
        return self.number


class WarrantyClaimEvent(models.Model):
    """The claim's log: each status change, by whom, and the staff note sent with it."""

    claim = models.ForeignKey(WarrantyClaim, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    note = encrypt(models.TextField(_("note"), blank=True))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("warranty claim event")
        verbose_name_plural = _("warranty claim events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.claim_id}: {self.from_status} -> {self.to_status}"


class ReviewInvitation(models.Model):
    """The one review invitation an order may ever get."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="review_invitation")
    provider = models.CharField(_("provider"), max_length=20)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review invitation")
        verbose_name_plural = _("review invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.order_id} via {self.provider}"
