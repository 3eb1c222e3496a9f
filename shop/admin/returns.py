"""Staff side of withdrawals: the list with the refund deadlines, and one form for the
next step (goods received, refund, cancel, refuse) that calls one service."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from offtek.money import Money
from shop.models import Withdrawal, WithdrawalLine, WithdrawalStatus
from shop.payments.base import GatewayError
from shop.payments.refunds import RefundError
from shop.returns.services import (
    WITHDRAWAL_LIFECYCLE,
    WithdrawalRefused,
    withdrawal_refund_pence,
    withdrawal_step,
)

# Statuses in which the refund is still owed: their deadline is watched.
OWED = (WithdrawalStatus.RECEIVED, WithdrawalStatus.GOODS_RECEIVED)
DUE_SOON_DAYS = 3


class WithdrawalLineInline(admin.TabularInline):
    model = WithdrawalLine
    extra = 0
    can_delete = False
    fields = ["line"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DeadlineFilter(admin.SimpleListFilter):
    title = _("refund deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due within %(days)d days") % {"days": DUE_SOON_DAYS}),
            ("owed", _("Refund still owed")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        owed = queryset.filter(status__in=OWED)
        if self.value() == "overdue":
            return owed.filter(refund_due__lt=today)
        if self.value() == "soon":
            soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
            return owed.filter(refund_due__gte=today, refund_due__lte=soon)
        if self.value() == "owed":
            return owed
        return queryset


class WithdrawalStepForm(forms.Form):
    to = forms.ChoiceField(label=_("Next step"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        help_text=_("Required to cancel or refuse: say why."),
    )

    def __init__(self, *args, withdrawal, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(WithdrawalStatus.choices)
        labels[WithdrawalStatus.REFUNDED] = _("Refund now (through the order's payment)")
        self.fields["to"].choices = [
            (status, labels[status])
            for status in WithdrawalStatus.values
            if WITHDRAWAL_LIFECYCLE.allows(withdrawal.status, status)
        ]


@admin.register(Withdrawal)
class WithdrawalAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "order",
        "status",
        "received_at",
        "refund_due",
        "deadline",
        "goods_received_at",
        "refunded_at",
    ]
    list_filter = [DeadlineFilter, "status"]
    search_fields = ["reference", "order__number"]
    list_select_related = ["order"]
    readonly_fields = [f.name for f in Withdrawal._meta.concrete_fields]
    inlines = [WithdrawalLineInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("deadline"), ordering="refund_due")
    def deadline(self, withdrawal):
        if withdrawal.status not in OWED:
            return "-"
        days = (withdrawal.refund_due - timezone.localdate()).days
        if days < 0:
            return ngettext("overdue by %(days)d day", "overdue by %(days)d days", -days) % {
                "days": -days
            }
        return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}

    def get_urls(self):
        return [
            path(
                "<int:withdrawal_id>/step/",
                self.admin_site.admin_view(self.step_view),
                name="shop_withdrawal_step",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "step_url": reverse("admin:shop_withdrawal_step", args=[object_id]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request, withdrawal_id: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        withdrawal = get_object_or_404(Withdrawal.objects.select_related("order"), pk=withdrawal_id)
        form = WithdrawalStepForm(request.POST or None, withdrawal=withdrawal)
        if request.method == "POST" and form.is_valid():
            try:
                withdrawal_step(
                    withdrawal=withdrawal,
                    to=form.cleaned_data["to"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except (WithdrawalRefused, RefundError, GatewayError) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Withdrawal updated."), messages.SUCCESS)
                return redirect(reverse("admin:shop_withdrawal_change", args=[withdrawal.pk]))
        owed = withdrawal.status in OWED
        context = {
            **self.admin_site.each_context(request),
            "title": _("Next step for %(reference)s") % {"reference": withdrawal.reference},
            "withdrawal": withdrawal,
            "lines": [item.line for item in withdrawal.lines.select_related("line")],
            "refund": Money(withdrawal_refund_pence(withdrawal), withdrawal.order.currency)
            if owed
            else None,
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "shop/admin/withdrawal_step.html", context)
