"""The shop's gauges for Prometheus (read at scrape time, one query each): orders per
status, held orders, and failed payments. Labels are statuses only."""

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from shop.models import Order, OrderStatus, Payment, PaymentStatus


class ShopCollector:
    def collect(self):
        orders = GaugeMetricFamily("offtek_orders", "Orders per status", labels=["status"])
        counts = dict(Order.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in OrderStatus.values:
            orders.add_metric([status], counts.get(status, 0))
        yield orders
        held = GaugeMetricFamily("offtek_orders_held", "Orders held for staff review")
        held.add_metric([], counts.get(OrderStatus.HELD_FOR_REVIEW, 0))
        yield held
        failed = GaugeMetricFamily("offtek_payments_failed", "Payment attempts that failed")
        failed.add_metric([], Payment.objects.filter(status=PaymentStatus.FAILED).count())
        yield failed
