"""Orders, their lines, the customer's address book, and the order event log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_cryptography.fields import encrypt

from offtek.money import CURRENCIES, CURRENCY_CHOICES, Money
from privacy.history import HistoricalRecords
from privacy.phone_numbers import phone_normalise
from shop.models.catalog import Module


class Country(models.TextChoices):
    GB = "GB", _("United Kingdom")
    FR = "FR", _("France")


class Address(models.Model):
    """An entry in a customer's address book, kept only with their consent.
    Every personal field is encrypted at rest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    name = encrypt(models.CharField(_("full name"), max_length=150))
    line1 = encrypt(models.CharField(_("address line 1"), max_length=150))
    line2 = encrypt(models.CharField(_("address line 2"), max_length=150, blank=True))
    city = encrypt(models.CharField(_("town or city"), max_length=100))
    postcode = encrypt(models.CharField(_("postcode"), max_length=16))
    country = encrypt(models.CharField(_("country"), max_length=2, choices=Country.choices))
    phone = encrypt(models.CharField(_("phone"), max_length=32, blank=True))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}, {self.city}"

    def clean(self):
        """The phone number is kept in E.164, read first as a number of the address's
        country."""
        super().clean()
        try:
            self.phone = phone_normalise(self.phone, regions=(self.country, "GB", "FR"))
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    DISPATCHED = "dispatched", _("Dispatched")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    HELD_FOR_REVIEW = "held_for_review", _("Held for review")


class Order(models.Model):
    """What a customer bought, at which prices, delivered where. The status is
    changed only by `shop.orders.services.order_transition`."""

    number = models.CharField(_("order number"), max_length=20, unique=True)
    # Detached (None) when the customer closes their account: the order is then a tax
    # record under a legal hold, linked to no login.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    legal_hold_until = models.DateField(
        _("kept for tax until"),
        null=True,
        blank=True,
        help_text=_("Set when the customer closed their account; then anonymised."),
    )
    warranty_kept = models.BooleanField(
        _("lifetime warranty kept"),
        default=False,
        help_text=_("The customer closed their account but chose to keep a lifetime warranty."),
    )
    # Where a former customer who kept a lifetime warranty is written to, and how they
    # prove the purchase is theirs (with the order number). Encrypted.
    warranty_email = encrypt(models.EmailField(_("e-mail address for the warranty"), blank=True))
    # When a link to the kept warranty was last opened: each link opens once, and a link
    # sent before that moment no longer opens (shop.fulfilment.warranty.kept).
    warranty_link_used_at = models.DateTimeField(
        _("kept-warranty link last opened"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING_PAYMENT,
        db_index=True,
    )
    # Set from the market of the delivery country when the order is placed, and never
    # changed: every amount of the order, its lines, payments and refunds is in it.
    # The `_pence` columns hold minor units of this currency (pence or euro cents);
    # code reads them as Money through the properties below.
    currency = models.CharField(
        _("currency"), max_length=3, default="GBP", choices=CURRENCY_CHOICES
    )
    subtotal_pence = models.PositiveIntegerField(_("items (minor units of the currency)"))
    delivery_pence = models.PositiveIntegerField(_("delivery (minor units of the currency)"))
    total_pence = models.PositiveIntegerField(_("total (minor units of the currency)"))
    refunded_pence = models.PositiveIntegerField(
        _("refunded (minor units of the currency)"), default=0
    )
    delivery_option = models.CharField(_("delivery option"), max_length=20)
    # VAT frozen when the order is placed (see shop.invoices.vat): delivery is a line
    # of its own. Empty only on orders placed before VAT was frozen.
    delivery_net_minor = models.PositiveIntegerField(_("delivery net"), null=True, blank=True)
    delivery_vat_minor = models.PositiveIntegerField(_("delivery VAT"), null=True, blank=True)
    delivery_vat_rate_bp = models.PositiveIntegerField(
        _("delivery VAT rate (basis points)"), null=True, blank=True
    )
    vat_country = models.CharField(_("VAT country"), max_length=2, blank=True)
    delivery_name = encrypt(models.CharField(_("full name"), max_length=150))
    delivery_line1 = encrypt(models.CharField(_("address line 1"), max_length=150))
    delivery_line2 = encrypt(models.CharField(_("address line 2"), max_length=150, blank=True))
    delivery_city = encrypt(models.CharField(_("town or city"), max_length=100))
    delivery_postcode = encrypt(models.CharField(_("postcode"), max_length=16))
    delivery_country = encrypt(models.CharField(_("country"), max_length=2))
    delivery_phone = encrypt(models.CharField(_("phone"), max_length=32, blank=True))
    language = models.CharField(_("language"), max_length=8, default="en")
    stock_reserved = models.BooleanField(
        _("stock reserved"),
        default=True,
        help_text=_("True while the order holds its modules out of the stock count."),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    courier = models.CharField(_("courier"), max_length=20, blank=True)
    # Encrypted: it leads to the delivery address on the courier's site.
    tracking_number = encrypt(models.CharField(_("tracking number"), max_length=40, blank=True))
    client_ip_hash = models.CharField(
        _("customer network (keyed hash)"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("A keyed hash of the IP address the order was placed from, for fraud checks."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    total_pence=models.F("subtotal_pence") + models.F("delivery_pence")
                ),
                name="order_total_is_sum",
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_pence__lte=models.F("total_pence")),
                name="order_refund_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(currency__in=list(CURRENCIES)), name="order_currency_known"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def refundable_pence(self):
        return self.total_pence - self.refunded_pence

    @property
    def subtotal(self) -> Money:
        return Money(self.subtotal_pence, self.currency)

    @property
    def delivery(self) -> Money:
        return Money(self.delivery_pence, self.currency)

    @property
    def total(self) -> Money:
        return Money(self.total_pence, self.currency)

    @property
    def refunded(self) -> Money:
        return Money(self.refunded_pence, self.currency)

    @property
    def refundable(self) -> Money:
        return Money(self.refundable_pence, self.currency)


class OrderLine(models.Model):
    """One module on an order, with the price and warranty as sold."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="order_lines")
    part_number = models.CharField(_("part number"), max_length=64)
    description = models.CharField(_("description"), max_length=200)
    # Minor units of the order's currency.
    unit_price_pence = models.PositiveIntegerField(_("unit price (minor units of the currency)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    warranty_years = models.PositiveSmallIntegerField(_("warranty (years)"), null=True, blank=True)
    # Frozen when the order is placed: the line's total split into net and VAT at the
    # rate of that day (gross = unit price x quantity, VAT included).
    net_minor = models.PositiveIntegerField(_("net"), null=True, blank=True)
    vat_minor = models.PositiveIntegerField(_("VAT"), null=True, blank=True)
    vat_rate_bp = models.PositiveIntegerField(_("VAT rate (basis points)"), null=True, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="orderline_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.part_number}"

    @property
    def total_pence(self):
        return self.unit_price_pence * self.quantity

    @property
    def unit_price(self) -> Money:
        return Money(self.unit_price_pence, self.order.currency)

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity


class OrderEvent(models.Model):
    """The order's log: every status change and every notable thing that happened."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.order_id}: {self.kind}"


class SalesStatistics(OrderLine):
    """The admin's statistics page (no table of its own: a view over order lines)."""

    class Meta:
        proxy = True
        verbose_name = _("sales statistics")
        verbose_name_plural = _("sales statistics")
        default_permissions = ("view",)
