"""Privacy knows the shop only through what the shop registers: nothing in the privacy
app (tests and migrations aside) imports the shop or names a shop model, admin page,
module or URL, in code, docstrings, comments or templates, so a grep of privacy/ for
the shop's names finds none. import-linter keeps module-level imports out too."""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = ("/tests/", "/migrations/", "/locale/")


def shop_names() -> set[str]:
    """Every model label, table, admin URL prefix and URL name the shop defines."""
    names = set()
    for model in apps.get_app_config("shop").get_models():
        names |= {model._meta.label_lower, f"shop_{model._meta.model_name}"}
    resolver = get_resolver()
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        if namespace == "shop":
            names |= {f"shop:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    return names


def shop_classes() -> set[str]:
    return {model.__name__ for model in apps.get_app_config("shop").get_models()}


def privacy_files(root: Path):
    for pattern in ("*.py", "*.html", "*.txt"):
        for file in sorted(root.rglob(pattern)):
            if not any(part in file.as_posix() for part in SKIPPED):
                yield file


def _code_strings(tree):
    """String constants of the code, docstrings left out (the text check reads those)."""
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
            yield node.lineno, node.value


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module


def text_pattern(classes: set[str]) -> re.Pattern:
    """What a grep would find in any line: a shop module, label or URL name
    (``shop.models``, ``shop:home``), a shop model's class name that is no plain word
    (``WarrantyClaim``), or any shop class name quoted as code (````Order````)."""
    compound = sorted(name for name in classes if len(re.findall("[A-Z]", name)) > 1)
    return re.compile(
        r"\bshop[:.][A-Za-z_][\w.-]*"
        rf"|\b(?:{'|'.join(compound)})\b"
        rf"|``(?:{'|'.join(sorted(classes))})``"
    )


def shop_names_in_privacy(root: Path = ROOT / "privacy") -> list[str]:
    names, classes = shop_names(), shop_classes()
    pattern = text_pattern(classes)
    found = set()
    for file in privacy_files(root):
        where = file.relative_to(root.parent)
        text = file.read_text()
        for number, line in enumerate(text.splitlines(), 1):
            found |= {f"{where}:{number}: {m.group(0)!r}" for m in pattern.finditer(line)}
        if file.suffix != ".py":
            continue
        tree = ast.parse(text)
        for number, module in _imports(tree):
            if module == "shop" or module.startswith("shop."):
                found.add(f"{where}:{number}: import {module}")
        for number, value in _code_strings(tree):
            named = value in names or value in classes or value == "shop"
            if named or value.startswith(("shop.", "shop:", "shop_")):
                found.add(f"{where}:{number}: {value!r}")
    return sorted(found)


def test_privacy_holds_no_shop_model_module_page_or_url_name():
    assert {"shop.order", "shop:home", "shop_order"} <= shop_names()
    assert {"Order", "WarrantyClaim"} <= shop_classes()
    assert shop_names_in_privacy() == []


def test_control_each_kind_of_shop_name_planted_in_privacy_is_found(tmp_path):
    package = tmp_path / "privacy"
    (package / "tests").mkdir(parents=True)
    (package / "views.py").write_text(
        '"""Sends the visitor home."""\n'
        "\n"
        'TARGET = "shop:home"\n'
        'MODEL = ("shop", "Order")\n'
        "\n"
        "\n"
        "def claims():\n"
        '    """Counts the WarrantyClaim rows of an ``Order``."""\n'
        "    from shop.models import Address  # noqa\n"
        "\n"
        "    return Address  # see shop.models\n"
    )
    (package / "page.html").write_text("<a href=\"{% url 'shop:order-list' %}\">orders</a>\n")
    (package / "tests" / "test_views.py").write_text('URL = "shop:home"\n')  # tests may
    assert shop_names_in_privacy(package) == [
        "privacy/page.html:1: 'shop:order-list'",
        "privacy/views.py:11: 'shop.models'",  # a comment
        "privacy/views.py:3: 'shop:home'",
        "privacy/views.py:4: 'Order'",
        "privacy/views.py:4: 'shop'",
        "privacy/views.py:8: 'WarrantyClaim'",  # a docstring
        "privacy/views.py:8: '``Order``'",
        "privacy/views.py:9: 'shop.models'",
        "privacy/views.py:9: import shop.models",
    ]
