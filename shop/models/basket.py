"""Baskets: one per signed-in customer, or one per anonymous session."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.models.catalog import Module


class Basket(models.Model):
    """A shopper's basket. Anonymous baskets are found through the session; a
    customer's basket is their one basket (merged into at login)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="basket",
    )
    # The market the customer last chose (a code of shop.markets.rules.MARKETS), so
    # their next sign-in shows the same prices; blank until they choose one.
    market = models.CharField(_("market"), max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("basket")
        verbose_name_plural = _("baskets")

    def __str__(self):
        return f"Basket {self.pk}"


class BasketLine(models.Model):
    """A module and how many of it. No price: prices are always read from the
    catalog when the basket is shown or turned into an order."""

    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="lines")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("basket line")
        verbose_name_plural = _("basket lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["basket", "module"], name="basketline_unique_module"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="basketline_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.module_id}"
