from django.core.management.base import BaseCommand

from shop.orders.services import ABANDONED_AFTER, orders_release_abandoned


class Command(BaseCommand):
    help = "Cancel orders awaiting payment for more than 30 minutes and give their stock back."

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=int(ABANDONED_AFTER.total_seconds() // 60),
            help="Age in minutes after which an unpaid order is abandoned (default 30).",
        )

    def handle(self, *args, minutes, **options):
        from datetime import timedelta

        released = orders_release_abandoned(older_than=timedelta(minutes=minutes))
        self.stdout.write(f"Released {released} abandoned order(s).")
