"""Re-encrypt every encrypted field from old key material to the current settings.

    OLD_CRYPTOGRAPHY_KEY=... manage.py rotate_keys --dry-run
    OLD_CRYPTOGRAPHY_KEY=... manage.py rotate_keys

Deploy the new CRYPTOGRAPHY_KEY / SECRET_KEY first, then run this with the old values
(options or OLD_* environment variables; an old value not given is the current one).
Safe to interrupt and re-run: values already under the new keys are skipped.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy.encryption import KeyMaterial, KeyMismatch, key_material_current, keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field (live and history tables) under the current keys."

    def add_arguments(self, parser):
        parser.add_argument(
            "--old-cryptography-key", default=os.environ.get("OLD_CRYPTOGRAPHY_KEY")
        )
        parser.add_argument("--old-secret-key", default=os.environ.get("OLD_SECRET_KEY"))
        parser.add_argument("--old-salt", default=os.environ.get("OLD_CRYPTOGRAPHY_SALT"))
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, **options):
        given = [options["old_cryptography_key"], options["old_secret_key"], options["old_salt"]]
        if not any(given):
            raise CommandError(
                "Give the old key material: --old-cryptography-key and/or --old-secret-key "
                "(or OLD_CRYPTOGRAPHY_KEY / OLD_SECRET_KEY in the environment)."
            )
        current = key_material_current()
        old = KeyMaterial(
            cryptography_key=options["old_cryptography_key"] or current.cryptography_key,
            secret_key=options["old_secret_key"] or current.secret_key,
            salt=options["old_salt"] or settings.CRYPTOGRAPHY_SALT,
        )
        try:
            report = keys_rotate(
                old=old,
                batch_size=options["batch_size"],
                dry_run=options["dry_run"],
                progress=lambda table, count: self.stdout.write(f"  {table}: {count} rows read"),
            )
        except KeyMismatch as error:
            raise CommandError(str(error)) from error
        verb = "would re-encrypt" if report.dry_run else "re-encrypted"
        for table in sorted(set(report.rotated) | set(report.current)):
            self.stdout.write(
                f"{table}: {verb} {report.rotated.get(table, 0)} values, "
                f"{report.current.get(table, 0)} already under the current keys"
            )
        total = sum(report.rotated.values())
        self.stdout.write(self.style.SUCCESS(f"Done: {verb} {total} values."))
