"""The privacy app's gauges for Prometheus: requests to the Privacy Officer that are
open, and those past their statutory due date. Counts only."""

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from privacy.models import PrivacyRequest, PrivacyRequestStatus


class PrivacyCollector:
    def collect(self):
        open_requests = PrivacyRequest.objects.filter(status=PrivacyRequestStatus.OPEN)
        waiting = GaugeMetricFamily("offtek_privacy_requests_open", "Open privacy requests")
        waiting.add_metric([], open_requests.count())
        yield waiting
        overdue = GaugeMetricFamily(
            "offtek_privacy_requests_overdue", "Open privacy requests past their due date"
        )
        overdue.add_metric([], open_requests.filter(due_date__lt=timezone.localdate()).count())
        yield overdue
