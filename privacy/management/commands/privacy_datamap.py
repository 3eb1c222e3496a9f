"""Export the policy registry as a fideslang data map, validated by fideslang."""

import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from privacy.datamap import datamap_build, datamap_problems


class Command(BaseCommand):
    help = (
        "Write the shop's data map as fideslang resources (systems, privacy declarations, "
        "dataset), validated with fideslang. Fails if any declared field has no category "
        "or uses a key that is not in the taxonomy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("yaml", "json"), default="yaml")
        parser.add_argument("--output", help="Write to this file instead of standard output.")
        parser.add_argument(
            "--check", action="store_true", help="Validate only; print nothing but problems."
        )

    def handle(self, *args, format, output, check, **options):
        manifest = datamap_build()
        problems = datamap_problems(manifest)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The data map has {len(problems)} problem(s).")
        if check:
            self.stdout.write("The data map is valid fideslang.")
            return
        if format == "json":
            text = json.dumps(manifest, indent=2, ensure_ascii=False)
        else:
            text = yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from error
            self.stdout.write(f"Data map written to {output}.")
        else:
            self.stdout.write(text)
