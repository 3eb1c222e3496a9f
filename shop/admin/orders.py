"""Staff side of orders: filters, lines, payments, events, history, refunds."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from shop.fulfilment.dispatch import (
    DispatchError,
    courier_choices,
    order_deliver,
    order_dispatch,
    order_dispatch_refusal,
)
from shop.fulfilment.warranty.kept import kept_warranty_delete
from shop.models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentEvent,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from shop.orders.services import IllegalTransition, order_transition
from shop.payments.base import GatewayError
from shop.payments.refunds import RefundError, payment_refund
from shop.payments.review import ReviewError, order_review_refund, order_review_release

REFUND_SENT = {
    RefundStatus.SUCCEEDED: _("Refund made."),
    RefundStatus.PENDING: _(
        "Refund requested: it is pending at the payment provider and counts once it succeeds."
    ),
    RefundStatus.FAILED: _("The payment provider says this refund failed."),
}


def money_field(name: str, label):
    """A read-only admin column or field showing the Money attribute `name` with its
    currency ("£45.99", "45,99 €"), never a bare number of pence or cents."""

    @admin.display(description=label)
    def shown(self, obj):
        return getattr(obj, name)

    shown.__name__ = f"{name}_shown"
    return shown


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ["module", "part_number", "description", "unit_price_shown", "quantity"]
    fields = readonly_fields
    unit_price_shown = money_field("unit_price", _("unit price"))

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    fields = ["gateway", "reference", "status", "amount_shown", "card_brand", "card_last4"]
    readonly_fields = fields
    show_change_link = True
    amount_shown = money_field("amount", _("amount"))

    def has_add_permission(self, request, obj=None):
        return False


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ["reference", "amount_shown", "status", "failure_reason", "reason", "created_at"]
    readonly_fields = fields
    amount_shown = money_field("amount", _("amount"))

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
    # Minor units of the order's currency; the page names the currency.
    amount_pence = forms.IntegerField(
        label=_("Amount in pence or cents (of the order's currency)"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to refund everything still refundable."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class DispatchForm(forms.Form):
    """The courier for the selected orders and one tracking number per order."""

    courier = forms.ChoiceField(label=_("Courier"), choices=courier_choices)

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.orders = orders
        for order in orders:
            self.fields[f"tracking_{order.pk}"] = forms.CharField(
                label=_("Tracking number for %(number)s") % {"number": order.number},
                max_length=40,
            )

    def tracking_for(self, order) -> str:
        return self.cleaned_data[f"tracking_{order.pk}"]


class ReviewDecisionForm(forms.Form):
    RELEASE, REFUND = "release", "refund"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (RELEASE, _("Release: the order may be dispatched")),
            (REFUND, _("Cancel and refund the order in full")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class HeldForReviewFilter(admin.SimpleListFilter):
    title = _("review queue")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("held", _("Held for review"))]

    def queryset(self, request, queryset):
        if self.value() == "held":
            return queryset.filter(status=OrderStatus.HELD_FOR_REVIEW)
        return queryset


class RefundRefusedFilter(admin.SimpleListFilter):
    """Orders with a refund the provider reported that was refused (another
    currency, not a positive amount, more than was paid): staff look at them."""

    title = _("refund refused")
    parameter_name = "refund_refused"

    def lookups(self, request, model_admin):
        return [("yes", _("A reported refund was refused"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                pk__in=OrderEvent.objects.filter(kind="refund_refused").values("order_id")
            )
        return queryset


@admin.register(Order)
class OrderAdmin(SimpleHistoryAdmin):
    list_display = ["number", "user", "status", "total_shown", "refunded_shown", "created_at"]
    list_filter = [
        HeldForReviewFilter,
        RefundRefusedFilter,
        "status",
        "delivery_option",
        "created_at",
        "payments__gateway",
    ]
    search_fields = ["number", "user__email"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, PaymentInline, OrderEventInline]
    # Every stored field, with the amounts shown in the order's currency instead of
    # the bare minor units they are kept in.
    readonly_fields = [
        f"{f.name.removesuffix('_pence')}_shown" if f.name.endswith("_pence") else f.name
        for f in Order._meta.get_fields()
        if getattr(f, "concrete", False) and not f.many_to_many
    ]
    exclude = [f.name for f in Order._meta.concrete_fields if f.name.endswith("_pence")]
    subtotal_shown = money_field("subtotal", _("items"))
    delivery_shown = money_field("delivery", _("delivery"))
    total_shown = money_field("total", _("total"))
    refunded_shown = money_field("refunded", _("refunded"))
    list_select_related = ["user"]
    actions = [
        "refund_action",
        "dispatch_action",
        "deliver_action",
        "hold_action",
        "review_action",
        "kept_warranty_delete_action",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        failed = Refund.objects.filter(payment__order_id=object_id, status=RefundStatus.FAILED)
        failed = failed.select_related("payment")
        for refund in failed.only(
            "reference", "amount_pence", "failure_reason", "payment__currency"
        ):
            self.message_user(
                request,
                _(
                    "Refund %(reference)s of %(amount)s failed (%(why)s): "
                    "the money was not given back."
                )
                % {
                    "reference": refund.reference,
                    "amount": refund.amount,
                    "why": refund.failure_reason or _("no reason given"),
                },
                messages.WARNING,
            )
        refused = OrderEvent.objects.filter(order_id=object_id, kind="refund_refused")
        for event in refused.only("reason"):
            self.message_user(
                request,
                _("A refund the payment provider reported was refused and not counted: %(why)s")
                % {"why": event.reason},
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:order_id>/refund/",
                self.admin_site.admin_view(self.refund_view),
                name="shop_order_refund",
            ),
            path(
                "dispatch/",
                self.admin_site.admin_view(self.dispatch_view),
                name="shop_order_dispatch",
            ),
            path(
                "<int:order_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="shop_order_review",
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

    @admin.action(description=_("Dispatch (courier and tracking number)"))
    def dispatch_action(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:shop_order_dispatch')}?ids={ids}")

    @admin.action(description=_("Mark as delivered"))
    def deliver_action(self, request, queryset):
        moved, refused = 0, []
        for order in queryset:
            try:
                moved += order_deliver(order=order, source=f"staff #{request.user.pk}")
            except IllegalTransition:
                refused.append(order.number)
        self._report(request, moved, refused)

    def _report(self, request, moved: int, refused: list[str]) -> None:
        self.message_user(request, _("%(moved)d order(s) changed.") % {"moved": moved})
        if refused:
            self.message_user(
                request,
                _("Not allowed from their current status: %(numbers)s")
                % {"numbers": ", ".join(refused)},
                messages.ERROR,
            )

    @admin.action(description=_("Review a held order (release or refund)"))
    def review_action(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one order to review."), messages.ERROR)
            return None
        return redirect(reverse("admin:shop_order_review", args=[queryset.get().pk]))

    def dispatch_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()]
        selected = list(Order.objects.filter(pk__in=ids).order_by("pk"))
        orders = [o for o in selected if not order_dispatch_refusal(o)]
        blocked = [o for o in selected if order_dispatch_refusal(o)]
        form = DispatchForm(request.POST or None, orders=orders)
        if request.method == "POST" and orders and form.is_valid():
            moved = 0
            for order in orders:
                try:
                    moved += order_dispatch(
                        order=order,
                        courier=form.cleaned_data["courier"],
                        tracking_number=form.tracking_for(order),
                        by=request.user,
                    )
                except DispatchError as error:
                    self.message_user(request, str(error), messages.ERROR)
                except IllegalTransition:  # its status changed since the page was shown
                    order.refresh_from_db()
                    self.message_user(request, order_dispatch_refusal(order), messages.ERROR)
            self._report(request, moved, [])
            return redirect(reverse("admin:shop_order_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dispatch orders"),
            "form": form,
            "orders": orders,
            "blocked": blocked,
            "opts": self.model._meta,
        }
        return render(request, "shop/admin/order_dispatch.html", context)

    def review_view(self, request, order_id: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        order = get_object_or_404(Order, pk=order_id)
        form = ReviewDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            decide = (
                order_review_release
                if form.cleaned_data["decision"] == ReviewDecisionForm.RELEASE
                else order_review_refund
            )
            try:
                decide(order=order, reason=form.cleaned_data["reason"], by=request.user)
            except (ReviewError, RefundError, GatewayError) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Decision recorded."), messages.SUCCESS)
                return redirect(reverse("admin:shop_order_change", args=[order.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review %(number)s") % {"number": order.number},
            "order": order,
            "holds": order.events.filter(kind__in=["fraud_hold", "dispute", "status"]).filter(
                to_status__in=["", OrderStatus.HELD_FOR_REVIEW]
            ),
            "payment": order.payments.filter(status=PaymentStatus.SUCCEEDED).first(),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "shop/admin/order_review.html", context)

    @admin.action(description=_("Delete the kept lifetime warranty (customer's request)"))
    def kept_warranty_delete_action(self, request, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        deleted = 0
        for order in queryset.filter(warranty_kept=True, user__isnull=True):
            deleted += kept_warranty_delete(order=order, actor=request.user, request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d kept warranty deleted.", "%(count)d kept warranties deleted.", deleted
            )
            % {"count": deleted},
        )

    @admin.action(description=_("Hold for review"))
    def hold_action(self, request, queryset):
        self._transition_all(request, queryset, OrderStatus.HELD_FOR_REVIEW)

    def refund_view(self, request, order_id: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        order = get_object_or_404(Order, pk=order_id)
        payment = order.payments.filter(status=PaymentStatus.SUCCEEDED).first()
        form = RefundForm(request.POST or None)
        if request.method == "POST" and form.is_valid() and payment is not None:
            amount = form.cleaned_data["amount_pence"] or order.refundable_pence
            try:
                refund = payment_refund(
                    payment=payment,
                    amount_pence=amount,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except (RefundError, GatewayError) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, REFUND_SENT[refund.status], messages.SUCCESS)
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
    list_display = ["order", "gateway", "reference", "status", "amount_shown", "created_at"]
    list_filter = ["gateway", "status"]
    search_fields = ["reference", "order__number"]
    readonly_fields = [
        "amount_shown" if f.name == "amount_pence" else f.name
        for f in Payment._meta.concrete_fields
    ]
    inlines = [RefundInline]
    amount_shown = money_field("amount", _("amount"))

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
    list_display = [
        "payment",
        "amount_shown",
        "status",
        "reference",
        "reason",
        "failure_reason",
        "created_by",
        "created_at",
    ]
    list_filter = ["status"]
    list_select_related = ["payment", "created_by"]
    readonly_fields = [
        "amount_shown" if f.name == "amount_pence" else f.name for f in Refund._meta.concrete_fields
    ]
    amount_shown = money_field("amount", _("amount"))

    def has_add_permission(self, request):
        return False
