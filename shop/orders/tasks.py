from django.tasks import task

from shop.orders.services import orders_release_abandoned


@task
def release_abandoned_orders() -> int:
    """The same as `manage.py release_abandoned_orders`, for a task worker."""
    return orders_release_abandoned()
