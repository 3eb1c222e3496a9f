from django.core.management.base import BaseCommand

from shop.fulfilment.sms.services import sms_resend_due


class Command(BaseCommand):
    help = "Try again every text message whose previous attempt failed and is due again."

    def handle(self, *args, **options):
        sent = sms_resend_due()
        self.stdout.write(f"Sent {sent} text message(s).")
