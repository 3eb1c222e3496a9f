"""Reads on the account: the customer's security log."""

from privacy.models import SecurityEvent


def security_events_for(*, user):
    return SecurityEvent.objects.filter(user=user).select_related("actor")
