"""Sales statistics in the admin: charts drawn on the server as inline SVG (no
JavaScript, nothing from a CDN), from data that survives anonymisation."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from privacy.admin_readonly import ReadOnlyAdminMixin
from shop.models import SalesStatistics
from shop.orders.statistics import sales_by_generation, sales_by_month, sales_currencies


@admin.register(SalesStatistics)
class SalesStatisticsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    def changelist_view(self, request, extra_context=None):
        charts = []
        for currency in sales_currencies():  # one currency per chart, never summed
            charts += [
                {
                    "title": _("Sales by month, in %(currency)s") % {"currency": currency},
                    "bars": sales_by_month(currency=currency),
                },
                {
                    "title": _("Sales by module generation, in %(currency)s")
                    % {"currency": currency},
                    "bars": sales_by_generation(currency=currency),
                },
            ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Sales statistics"),
            "opts": self.model._meta,
            "charts": charts,
        }
        return TemplateResponse(request, "shop/admin/statistics.html", context)
