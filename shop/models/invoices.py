"""The tax documents the shop issues: invoices and credit notes, numbered from one
unbroken series per seller and never changed after issue."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_cryptography.fields import encrypt

from shop.models.orders import Order
from shop.models.payments import Refund


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class DocumentSeries(models.Model):
    """The last number a seller issued. Locked (select_for_update) by the transaction
    that issues the next document, so numbers come without gap or duplicate."""

    seller = models.CharField(_("seller"), max_length=40, unique=True)
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("document number series")
        verbose_name_plural = _("document number series")

    def __str__(self):
        return f"{self.seller}: {self.last_number}"


class ImmutableDocument(ValidationError):
    """An issued document cannot change: a correction is a credit note."""


# What the end of a legal hold may still clear on an issued document (retention), and
# when it did.
DOCUMENT_ANONYMISED = {"buyer_name": "", "buyer_address": ""}
DOCUMENT_CLEARABLE = {*DOCUMENT_ANONYMISED, "anonymised_at"}


class DocumentQuerySet(models.QuerySet):
    def update(self, **fields):
        if not set(fields) <= DOCUMENT_CLEARABLE:
            raise ImmutableDocument(_("An issued invoice or credit note cannot be changed."))
        return super().update(**fields)

    def delete(self):
        raise ImmutableDocument(_("An issued invoice or credit note cannot be deleted."))


class Document(models.Model):
    """An invoice or a credit note as issued: every amount, the seller's and the
    buyer's details frozen at issue. `save()` refuses any change after issue except
    anonymising the buyer once the legal hold has ended."""

    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    seller = models.CharField(_("seller"), max_length=40)
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=40)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="documents")
    invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("invoice credited"),
    )
    refund = models.OneToOneField(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_note"
    )
    issued_at = models.DateTimeField(_("issued at"))
    language = models.CharField(_("language"), max_length=8)
    currency = models.CharField(_("currency"), max_length=3)
    vat_country = models.CharField(_("VAT country"), max_length=2)
    net_total = models.PositiveIntegerField(_("net total (minor units)"))
    vat_total = models.PositiveIntegerField(_("VAT total (minor units)"))
    gross_total = models.PositiveIntegerField(_("total with VAT (minor units)"))
    # [{"rate_bp": 2000, "basis": 8333, "vat": 1667}, ...], frozen at issue.
    vat_breakdown = models.JSONField(_("VAT per rate"))
    seller_facts = models.JSONField(_("seller as issued"))
    vat_note = models.CharField(_("VAT mention"), max_length=300, blank=True)
    buyer_name = encrypt(models.CharField(_("buyer"), max_length=150, blank=True))
    buyer_address = encrypt(models.TextField(_("buyer's address"), blank=True))
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice or credit note")
        verbose_name_plural = _("invoices and credit notes")
        ordering = ["-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "sequence"], name="document_one_sequence"),
            models.UniqueConstraint(fields=["seller", "number"], name="document_one_number"),
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind="invoice"),
                name="document_one_invoice_per_order",
            ),
            models.CheckConstraint(
                condition=models.Q(gross_total=models.F("net_total") + models.F("vat_total")),
                name="document_gross_is_net_plus_vat",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="invoice", invoice__isnull=True)
                | models.Q(kind="credit_note", invoice__isnull=False),
                name="document_credit_note_references_invoice",
            ),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and not (
            update_fields is not None and set(update_fields) <= DOCUMENT_CLEARABLE
        ):
            raise ImmutableDocument(_("An issued invoice or credit note cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocument(_("An issued invoice or credit note cannot be deleted."))

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE

    def email_attachment(self) -> tuple[str, bytes, str] | None:
        """The rendered PDF for an e-mail (privacy.emails attaches it by reference)."""
        rendered = DocumentFile.objects.filter(document=self).first()
        if rendered is None:
            return None
        return (f"{self.number}.pdf", rendered.pdf, "application/pdf")


class DocumentLine(models.Model):
    """One line of a document, as issued (amounts in minor units of its currency)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    net = models.PositiveIntegerField(_("net amount"))
    rate_bp = models.PositiveIntegerField(_("VAT rate (basis points)"))
    vat = models.PositiveIntegerField(_("VAT"))
    gross = models.PositiveIntegerField(_("amount with VAT"))

    class Meta:
        verbose_name = _("document line")
        verbose_name_plural = _("document lines")
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="documentline_position"),
            models.CheckConstraint(
                condition=models.Q(gross=models.F("net") + models.F("vat")),
                name="documentline_gross_is_net_plus_vat",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.description}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableDocument(_("An issued invoice or credit note cannot be changed."))
        super().save(*args, **kwargs)


class DocumentFile(models.Model):
    """The Factur-X PDF of a document, rendered by a task after issue. Encrypted at
    rest: it names the buyer and their address."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="file")
    pdf = encrypt(models.BinaryField(_("PDF")))
    rendered_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document PDF")
        verbose_name_plural = _("document PDFs")

    def __str__(self):
        return f"PDF of {self.document_id}"
