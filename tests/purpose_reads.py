"""A walk over the source of ``shop`` and ``privacy`` that finds each read of a personal
field and says whether it is inside a declared purpose (see ``privacy.purposes``).

A *personal field* is a field named in a personal-data declaration
(``privacy.registry.declarations()``) that is encrypted or holds an e-mail address: the
data that points to a person. A *read* is an attribute load (``order.delivery_phone``)
or a string naming the field in a query (``.values("email")``, ``only("phone")``).

A read is *inside a purpose* when it sits in a function decorated with
``@uses_personal_data(...)``, in a ``with for_purpose(...)`` block, or in a module of
``MODULES_ALLOWED`` (each with the reason it may read personal data whatever the
purpose: the customer's own pages, the export, erasure, the admin...).

This walk is the second net. The first is at run time (``privacy.purposes``): every
encrypted field refuses a read outside the purposes its declaration names, whatever
the code looks like (``getattr`` with a built name, templates, the admin, the generic
names this walk leaves out). The walk still catches what the run-time guard cannot
see: names in queries (``.values("email")``) and the plain-text login e-mail.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django_cryptography.fields import EncryptedMixin

from privacy import registry

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("shop", "privacy")

# Names too common to be told apart from other things by name alone (a field's
# ``.name``, Django's messages, a template's ``body``...): they are left out of the
# walk, and covered instead by the fields that always travel with them.
AMBIGUOUS_NAMES = {"name", "body", "country", "message", "note", "notes", "response"}

# Calls whose string arguments name fields to read.
QUERY_CALLS = {"values", "values_list", "only", "F", "getattr", "attrgetter"}

# Modules that may read personal fields for whatever they are, and why.
MODULES_ALLOWED = {
    "privacy/models.py": "the models themselves (names shown by __str__ and properties)",
    "shop/models/orders.py": "the models themselves (names shown by __str__ and properties)",
    "shop/models/invoices.py": "the models themselves (a document's PDF for its e-mail)",
    "privacy/personal_data.py": "the declarations' export functions: the right of access",
    "shop/personal_data.py": "the declarations' export functions: the right of access",
    "shop/invoices/personal_data.py": "the declarations' export functions: the right of access",
    "privacy/rights/export.py": "the right of access: the customer's own data, to them",
    "privacy/rights/erasure.py": "the right to erasure: the receipt goes to the address erased",
    "privacy/accounts/services.py": "the customer's own account: profile and security log",
    "privacy/accounts/views.py": "the customer's own account pages",
    "privacy/accounts/adapters.py": "sign-up, sign-in and password e-mails (allauth)",
    "shop/checkout/forms.py": "checkout: the customer picks one of their own addresses",
    "privacy/email_messages.py": "the e-mail queue: writes what email_send queued, for "
    "the purpose named when it was queued",
    "privacy/rights/replay.py": "erasure after a restore: an account matches the erasure "
    "journal by its login e-mail's keyed hash, then closes as it was closed before",
    "shop/checkout/networks.py": "a client's network from the address of the request "
    "in hand (an IP address, hashed at once); reads no stored field",
    "privacy/tasks.py": "the e-mail queue: sends what email_send queued, for the purpose "
    "named when it was queued (and records it in the disclosure ledger)",
}


@dataclass(frozen=True)
class Read:
    path: str
    line: int
    field: str

    def __str__(self):
        return f"{self.path}:{self.line} reads {self.field!r} outside a declared purpose"


def personal_field_names() -> set[str]:
    names = set()
    for declaration in registry.declarations():
        for name in declaration.fields:
            field = declaration.model._meta.get_field(name)
            if isinstance(field, EncryptedMixin | models.EmailField):
                names.add(name)
    return names - AMBIGUOUS_NAMES


def _is_purpose_call(node) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    name = getattr(target, "id", None) or getattr(target, "attr", None)
    return name in ("uses_personal_data", "for_purpose", "purpose", "acting_for")


class _Walker(ast.NodeVisitor):
    def __init__(self, path: str, fields: set[str]):
        self.path = path
        self.fields = fields
        self.depth = 0  # how many purpose scopes enclose the current node
        self.reads: list[Read] = []

    def _scoped(self, node, opens: bool):
        self.depth += opens
        self.generic_visit(node)
        self.depth -= opens

    def visit_FunctionDef(self, node):
        self._scoped(node, any(_is_purpose_call(d) for d in node.decorator_list))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_With(self, node):
        self._scoped(node, any(_is_purpose_call(item.context_expr) for item in node.items))

    def visit_Attribute(self, node):
        if isinstance(node.ctx, ast.Load) and node.attr in self.fields:
            self._found(node, node.attr)
        self.generic_visit(node)

    def visit_Call(self, node):
        # Fields named in a query: .values("email"), .only("phone"), F("postcode")...
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        for argument in node.args if name in QUERY_CALLS else ():
            if isinstance(argument, ast.Constant) and argument.value in self.fields:
                self._found(argument, argument.value)
        self.generic_visit(node)

    def _found(self, node, field):
        if self.depth == 0:
            self.reads.append(Read(self.path, node.lineno, field))


def reads_outside_purpose(source: str, *, path: str, fields: set[str]) -> list[Read]:
    walker = _Walker(path, fields)
    walker.visit(ast.parse(source, filename=path))
    return walker.reads


def source_files():
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            relative = file.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            yield relative, file


def project_reads_outside_purpose(allowed=MODULES_ALLOWED) -> list[Read]:
    fields = personal_field_names()
    reads = []
    for relative, file in source_files():
        if relative in allowed:
            continue
        reads += reads_outside_purpose(file.read_text(), path=relative, fields=fields)
    return reads
