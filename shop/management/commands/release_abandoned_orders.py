from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shop.orders.reservations import reservations_release_expired


class Command(BaseCommand):
    help = (
        "Cancel orders whose reservation has ended unpaid and give their stock back "
        "(orders with a payment still processing wait)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=None,
            help="Age in minutes after which an unpaid order is released "
            "(default SHOP_RESERVATION_MINUTES).",
        )

    def handle(self, *args, minutes, **options):
        if minutes is not None and minutes < 0:
            raise CommandError("--minutes must be 0 or more.")
        period = timedelta(
            minutes=settings.SHOP_RESERVATION_MINUTES if minutes is None else minutes
        )
        released = reservations_release_expired(older_than=period)
        self.stdout.write(f"Released {released} abandoned order(s).")
