"""Print the role matrix as the Markdown tables the staff guide shows (``--write`` puts
them into docs/staff.md between its role-matrix markers)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy import role_matrix

START, END = "<!-- role-matrix:start -->", "<!-- role-matrix:end -->"
SHORT = {"view": "view", "add": "add", "change": "change", "delete": "delete"}


def cell(grant: role_matrix.Grant) -> str:
    if not grant.actions:
        return "-"
    actions = [name for name in SHORT if grant.allows(name)]
    text = ", ".join(actions)
    if grant.allows("change"):
        if grant.fields == role_matrix.ALL:
            text += " (every field)"
        elif grant.fields:
            text += " (" + ", ".join(f"`{name}`" for name in grant.fields) + ")"
        else:
            text += " (no field: actions only)"
    return text


def matrix_markdown() -> str:
    roles = role_matrix.ROLES
    lines = [
        "| model | " + " | ".join(roles) + " |",
        "| --- |" + " --- |" * len(roles),
    ]
    for label, row in role_matrix.MODELS.items():
        cells = [cell(row.get(role, role_matrix.NO_ACCESS)) for role in roles]
        lines.append(f"| `{label}` | " + " | ".join(cells) + " |")
    lines += ["", "| admin page | " + " | ".join(roles) + " |", "| --- |" + " --- |" * len(roles)]
    for name, allowed in role_matrix.PAGES.items():
        cells = ["yes" if role in allowed else "-" for role in roles]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the staff role matrix as Markdown (--write: update docs/staff.md)."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="update docs/staff.md")

    def handle(self, *args, write=False, **options):
        table = matrix_markdown()
        if not write:
            self.stdout.write(table, ending="")
            return
        guide = Path(settings.BASE_DIR) / "docs" / "staff.md"
        text = guide.read_text()
        if START not in text or END not in text:
            raise CommandError(f"docs/staff.md has no {START} ... {END} markers.")
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        guide.write_text(f"{before}{START}\n{table}{END}{after}")
        self.stdout.write("docs/staff.md updated.")
