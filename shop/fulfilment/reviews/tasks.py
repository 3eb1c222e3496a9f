from django.tasks import task

from shop.fulfilment.reviews.services import review_invitations_send


@task
def send_review_invitations() -> dict:
    """The same as `manage.py send_review_invitations`, for a periodic worker."""
    return review_invitations_send()
