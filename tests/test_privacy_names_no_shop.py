"""Privacy knows the shop only through what the shop registers: no string in the
privacy app names a shop model, admin page or URL (import-linter keeps imports out)."""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = ("/tests/", "/migrations/", "/locale/")


def shop_names() -> set[str]:
    """Every model label, admin URL prefix and URL name the shop defines (bare model
    names such as "system" or "order" are ordinary words, left out)."""
    names = set()
    for model in apps.get_app_config("shop").get_models():
        names |= {model._meta.label_lower, f"shop_{model._meta.model_name}"}
    resolver = get_resolver()
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        if namespace == "shop":
            names |= {f"shop:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    return names


def privacy_strings(root: Path = ROOT / "privacy"):
    """(file, line, text) of each string in privacy's code (docstrings left out) and of
    each quoted name in its templates."""
    for file in sorted(root.rglob("*.py")):
        if any(part in file.as_posix() for part in SKIPPED):
            continue
        tree = ast.parse(file.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            is_string = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_string and id(node) not in docstrings:
                yield file, node.lineno, node.value
    for file in sorted(root.rglob("*.html")) + sorted(root.rglob("*.txt")):
        if any(part in file.as_posix() for part in SKIPPED):
            continue
        for number, line in enumerate(file.read_text().splitlines(), 1):
            for quoted in re.findall(r"""["']([^"'\s]+)["']""", line):
                yield file, number, quoted


def shop_names_in_privacy(names: set[str], root: Path = ROOT / "privacy") -> list[str]:
    found = []
    for file, line, text in privacy_strings(root):
        if text in names or text.startswith(("shop.", "shop:", "shop_")):
            found.append(f"{file.relative_to(root.parent)}:{line}: {text!r}")
    return found


def test_privacy_holds_no_shop_model_page_or_url_name():
    names = shop_names()
    assert {"shop.order", "shop:home", "shop_order"} <= names
    assert shop_names_in_privacy(names) == []


def test_control_a_shop_name_added_to_privacy_is_found(tmp_path):
    module = tmp_path / "privacy" / "views.py"
    module.parent.mkdir()
    module.write_text(
        '"""Mentions shop:home in a docstring, which is allowed."""\n\nTARGET = "shop:home"\n'
    )
    template = tmp_path / "privacy" / "page.html"
    template.write_text("<a href=\"{% url 'shop:order-list' %}\">orders</a>\n")
    found = shop_names_in_privacy(shop_names(), root=tmp_path / "privacy")
    assert [entry.split(": ", 1)[1] for entry in found] == ["'shop:home'", "'shop:order-list'"]
