"""Staff side of orders: filters, lines, payments, events, history, refunds."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from shop.models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentEvent,
    PaymentStatus,
    Refund,
)
from shop.orders.services import IllegalTransition, order_transition
from shop.payments.base import GatewayError
from shop.payments.services import RefundError, payment_refund


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ["module", "part_number", "description", "unit_price_pence", "quantity"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    fields = ["gateway", "reference", "status", "amount_pence", "card_brand", "card_last4"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "from_status", "to_status", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RefundForm(forms.Form):
    amount_pence = forms.IntegerField(
        label=_("Amount in pence"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to refund everything still refundable."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


@admin.register(Order)
class OrderAdmin(SimpleHistoryAdmin):
    list_display = ["number", "user", "status", "total_pence", "refunded_pence", "created_at"]
    list_filter = ["status", "delivery_option", "created_at", "payments__gateway"]
    search_fields = ["number", "user__email"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, PaymentInline, OrderEventInline]
    readonly_fields = [
        f.name
        for f in Order._meta.get_fields()
        if getattr(f, "concrete", False) and not f.many_to_many
    ]
    list_select_related = ["user"]
    actions = [
        "refund_action",
        "dispatch_action",
        "deliver_action",
        "hold_action",
        "release_hold_action",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:order_id>/refund/",
                self.admin_site.admin_view(self.refund_view),
                name="shop_order_refund",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Refund the selected order (full or partial)"))
    def refund_action(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one order to refund."), messages.ERROR)
            return None
        return redirect(reverse("admin:shop_order_refund", args=[queryset.get().pk]))

    def _transition_all(self, request, queryset, to: str) -> None:
        moved, refused = 0, []
        for order in queryset:
            try:
                moved += order_transition(order=order, to=to, reason=f"staff #{request.user.pk}")
            except IllegalTransition:
                refused.append(order.number)
        self.message_user(
            request,
            _("%(moved)d order(s) changed.") % {"moved": moved},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                _("Not allowed from their current status: %(numbers)s")
                % {"numbers": ", ".join(refused)},
                messages.ERROR,
            )

    @admin.action(description=_("Mark as dispatched"))
    def dispatch_action(self, request, queryset):
        self._transition_all(request, queryset, OrderStatus.DISPATCHED)

    @admin.action(description=_("Mark as delivered"))
    def deliver_action(self, request, queryset):
        self._transition_all(request, queryset, OrderStatus.DELIVERED)

    @admin.action(description=_("Hold for review"))
    def hold_action(self, request, queryset):
        self._transition_all(request, queryset, OrderStatus.HELD_FOR_REVIEW)

    @admin.action(description=_("Release from review (back to paid)"))
    def release_hold_action(self, request, queryset):
        self._transition_all(request, queryset, OrderStatus.PAID)

    def refund_view(self, request, order_id: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        order = get_object_or_404(Order, pk=order_id)
        payment = order.payments.filter(status=PaymentStatus.SUCCEEDED).first()
        form = RefundForm(request.POST or None)
        if request.method == "POST" and form.is_valid() and payment is not None:
            amount = form.cleaned_data["amount_pence"] or order.refundable_pence
            try:
                payment_refund(
                    payment=payment,
                    amount_pence=amount,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except (RefundError, GatewayError) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Refund sent."), messages.SUCCESS)
                return redirect(reverse("admin:shop_order_change", args=[order.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Refund %(number)s") % {"number": order.number},
            "order": order,
            "payment": payment,
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "shop/admin/order_refund.html", context)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "gateway", "reference", "status", "amount_pence", "created_at"]
    list_filter = ["gateway", "status"]
    search_fields = ["reference", "order__number"]
    readonly_fields = [f.name for f in Payment._meta.concrete_fields]

    def has_add_permission(self, request):
        return False


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "kind", "gateway", "payment", "outcome", "received_at"]
    list_filter = ["gateway", "kind"]
    search_fields = ["event_id", "payment__reference"]
    readonly_fields = [f.name for f in PaymentEvent._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["payment", "amount_pence", "reference", "reason", "created_by", "created_at"]
    readonly_fields = [f.name for f in Refund._meta.concrete_fields]

    def has_add_permission(self, request):
        return False
