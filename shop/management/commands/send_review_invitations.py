from django.core.management.base import BaseCommand

from shop.fulfilment.reviews.services import review_invitations_send


class Command(BaseCommand):
    help = (
        "Invite customers to review delivered orders (once per order, REVIEW_INVITATION_DAYS "
        "after delivery, only with their consent). Safe to run repeatedly, e.g. hourly."
    )

    def handle(self, *args, **options):
        counts = review_invitations_send()
        self.stdout.write(
            "Invited {invited}, skipped {skipped} (no consent), failed {failed}.".format(**counts)
        )
