from django.core.management.base import BaseCommand

from privacy.emails import emails_resend_due


class Command(BaseCommand):
    help = (
        "Send every e-mail of the outbox that is due: never handed to a worker, due for "
        "a retry, or claimed by a worker that died."
    )

    def handle(self, *args, **options):
        sent = emails_resend_due()
        self.stdout.write(f"Sent {sent} e-mail(s).")
