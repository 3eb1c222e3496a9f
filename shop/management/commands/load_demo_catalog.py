"""manage.py load_demo_catalog: a realistic, deterministic demo catalog at any scale."""

import argparse
import time

from django.core.management.base import BaseCommand, CommandError

from shop.catalog.demo.services import DemoCatalogRefused, demo_catalog_load
from shop.models import Module


def positive_count(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return number


def seed_number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value} must be 0 or more")
    return number


class Command(BaseCommand):
    help = "Load a demo catalog: memory modules, computer systems and their manufacturers."

    def add_arguments(self, parser):
        parser.add_argument("--modules", type=positive_count, default=400)
        parser.add_argument("--systems", type=positive_count, default=250)
        parser.add_argument("--seed", type=seed_number, default=1)
        what_if_full = parser.add_mutually_exclusive_group()
        what_if_full.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the catalog has modules."
        )
        what_if_full.add_argument(
            "--replace", action="store_true", help="Delete the catalog first, then load."
        )

    def handle(self, *args, modules, systems, seed, if_empty, replace, **options):
        existing = Module.objects.count()
        if existing and if_empty:
            self.stdout.write(f"The catalog already has {existing} modules: nothing loaded.")
            return
        if existing and not replace:
            raise CommandError(
                f"The catalog already has {existing} modules. Use --if-empty to keep it, "
                "or --replace to delete it and load the demo catalog."
            )
        started = time.monotonic()
        try:
            created = demo_catalog_load(
                modules=modules, systems=systems, seed=seed, replace=replace
            )
        except DemoCatalogRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {created['modules']} modules and {created['systems']} systems from "
                f"{created['manufacturers']} manufacturers (seed {seed}) in "
                f"{time.monotonic() - started:.1f} s."
            )
        )
