"""Withdrawals: a customer's statement that they withdraw from a contract (the 14-day
right of the Consumer Contracts Regulations 2013 and of Directive 2011/83/EU), and
what staff do with it. The status is changed only by
`shop.returns.services.withdrawal_transition`."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_cryptography.fields import encrypt

from privacy.history import HistoricalRecords
from shop.models.orders import Order, OrderLine
from shop.models.payments import Refund


class WithdrawalStatus(models.TextChoices):
    # A withdrawal exists only once the customer pressed "Confirm withdrawal".
    RECEIVED = "received", _("Received")
    GOODS_RECEIVED = "goods_received", _("Goods received back")
    REFUNDED = "refunded", _("Refunded")
    CANCELLED = "cancelled", _("Cancelled (recorded in error)")
    REFUSED = "refused", _("Refused")


class Withdrawal(models.Model):
    """One confirmed withdrawal statement for some or all lines of an order."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="withdrawals")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=WithdrawalStatus.choices,
        default=WithdrawalStatus.RECEIVED,
        db_index=True,
    )
    # The statement as the customer confirmed it: encrypted.
    name = encrypt(models.CharField(_("name"), max_length=150))
    email = encrypt(models.EmailField(_("e-mail address")))
    statement = encrypt(models.TextField(_("statement")))
    language = models.CharField(_("language"), max_length=8, default="en")
    time_zone = models.CharField(_("time zone"), max_length=40, default="Europe/London")
    received_at = models.DateTimeField(_("received at"))
    refund_due = models.DateField(
        _("refund due by"),
        help_text=_("14 days after the statement; the refund may wait until the goods are back."),
    )
    goods_received_at = models.DateTimeField(_("goods received at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    refund = models.OneToOneField(
        Refund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrawal",
        verbose_name=_("refund"),
    )
    staff_note = models.CharField(_("staff note"), max_length=200, blank=True)
    via_link = models.BooleanField(
        _("confirmed from an e-mailed link"),
        default=False,
        help_text=_("False: confirmed by the customer signed in to their account."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["refund_due", "id"]

    def __str__(self):
        return self.reference


class WithdrawalLine(models.Model):
    """An order line the customer withdrew from (the whole line)."""

    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="withdrawal_lines")

    class Meta:
        verbose_name = _("withdrawn line")
        verbose_name_plural = _("withdrawn lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["withdrawal", "line"], name="withdrawal_line_once"),
        ]

    def __str__(self):
        return f"{self.withdrawal_id}: {self.line_id}"
