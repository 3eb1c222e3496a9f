"""Personal-data declarations: every model that holds personal data says so here.

Each app that stores personal data has a ``personal_data.py`` module, found at start-up
by autodiscovery (like ``admin.py``). In it, one call per model::

    from privacy import registry
    from members.models import Member

    registry.declare(
        Member,
        categories=["contact", "identity"],          # keys of privacy.policy.CATEGORIES
        purpose="orders",                           # a key of privacy.policy.PURPOSES
        fields=["name", "line1", "postcode", "phone"],
        retention="tax-records",                    # a key of privacy.policy.RETENTION
        owner="customer",                           # path from the row to its user
                                                    # ("order__customer"), or "self"
        export=registry.export_fields,              # or a function (row) -> dict
        erase=registry.Erase.DELETE,                # or ANONYMISE with anonymise={...},
                                                    # or a function (row) -> None
        anonymise={"name": "", "phone": ""},        # field -> replacement value
    )

A model that looks personal but is not (a company's name, say) is declared exempt,
with the reason::

    registry.exempt(Company, reason="The name of a company, not of a person.")

Historical models made by django-simple-history follow their model: declaring
``Member`` also covers ``HistoricalMember`` (same data, same rules; erasure
removes history rows too).

What happens at account closure is declared too (``closure=``):

- ``Closure.DELETE`` (the default): erased at once (``erase`` says how).
- ``Closure.HOLD``: kept under a legal hold, detached from the login: the owner field
  (``detach=``, e.g. ``"user"``) is set to None and ``hold_field`` (e.g.
  ``"legal_hold_until"``) to the closure date plus the retention rule's period. Rows
  owned through another held row (owner ``parent__user``) declare ``detach=None``:
  they follow their parent.

Export reads ``select_related=``/``prefetch_related=`` so that one declaration costs a
fixed number of queries whatever the number of rows, and ``defer=`` to skip (encrypted,
slow to read) fields of related rows that the export does not show.

Keys are checked against the policy registry when declared, so a typo fails at start-up.
Export, erasure, retention and the privacy page read ``declarations()``.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django_cryptography.fields import EncryptedMixin

from privacy import policy, purposes


class Erase:
    """How erasure removes a row's personal data: the two outcomes that do
    (``policy.Outcome``), or a function."""

    DELETE = policy.Outcome.DELETE
    ANONYMISE = policy.Outcome.ANONYMISE


class Closure:
    """What account closure does to a declared model's rows: erase them now, or hold
    them (their receipt line says ``policy.Outcome.KEEP``, with the hold's end)."""

    DELETE = policy.Outcome.DELETE
    HOLD = "hold"


@functools.cache
def history_model(model):
    """The django-simple-history model that copies ``model``'s rows, if there is one.
    (Cached: ``model.history`` builds a new manager class at each access.)"""
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def export_fields(row, fields):
    """The default export: the declared fields, as their Python values in plain text."""
    return {name: _plain(getattr(row, name)) for name in fields}


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


@dataclass(frozen=True)
class Declaration:
    model: type
    categories: tuple
    purpose: str
    fields: tuple
    retention: str
    owner: str
    export: Callable = export_fields
    erase: object = Erase.DELETE
    anonymise: dict = field(default_factory=dict)
    closure: str = Closure.DELETE
    detach: str | None = None
    hold_field: str | None = None
    select_related: tuple = ()
    prefetch_related: tuple = ()
    defer: tuple = ()
    # For people (the "My data" page, the erasure receipt); the JSON keeps its keys.
    title: object = None
    labels: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    # purpose or operation -> the fields it may read besides the declaration's purpose.
    reads: dict = field(default_factory=dict)

    @property
    def label(self):
        return self.model._meta.label_lower

    @property
    def heading(self):
        """What the customer calls these records, in their language."""
        return self.title or self.model._meta.verbose_name_plural

    def owner_filter(self, user) -> models.Q:
        """A filter selecting the rows that belong to ``user``."""
        if self.owner == "self":
            return models.Q(pk=user.pk)
        return models.Q(**{self.owner: user})

    def rows_for(self, user):
        rows = self.model._default_manager.filter(self.owner_filter(user))
        if self.select_related:
            rows = rows.select_related(*self.select_related)
        if self.prefetch_related:
            rows = rows.prefetch_related(*self.prefetch_related)
        if self.defer:
            rows = rows.defer(*self.defer)
        return rows

    @property
    def history_model(self):
        """The django-simple-history model that copies this model's rows, if any."""
        return history_model(self.model)

    def export_row(self, row) -> dict:
        if self.export is export_fields:
            return export_fields(row, self.fields)
        return self.export(row)


_declarations: dict[str, Declaration] = {}
_exemptions: dict[str, str] = {}


def declare(
    model,
    *,
    categories,
    purpose: str,
    fields,
    retention: str,
    owner: str,
    export: Callable = export_fields,
    erase=Erase.DELETE,
    anonymise: dict | None = None,
    closure: str = Closure.DELETE,
    detach: str | None = None,
    hold_field: str | None = None,
    select_related=(),
    prefetch_related=(),
    defer=(),
    title=None,
    labels: dict | None = None,
    aliases: dict | None = None,
    values: dict | None = None,
    reads: dict | None = None,
) -> Declaration:
    """Declare that ``model`` holds personal data, and how the policy governs it.

    For people, ``title`` names the records ("Your orders"), ``labels`` names export
    keys that are not fields of ``model``, ``aliases`` maps an export key to the field
    it shows (its label and choices are used), and ``values`` maps a key to a function
    that shows its value in the reader's language. See privacy.rights.export_page.

    Every encrypted field of ``model`` (and of its history copy) opens only for
    ``purpose``, for the purposes that ``reads`` ({purpose: [fields]}) names for it, and
    for the operations that read every field (see privacy.purposes)."""
    label = model._meta.label_lower
    unknown = [key for key in categories if key not in policy.CATEGORIES]
    problems = []
    if unknown:
        problems.append(f"unknown categories {unknown}")
    if purpose not in policy.PURPOSES:
        problems.append(f"unknown purpose {purpose!r}")
    if retention not in policy.RETENTION:
        problems.append(f"unknown retention rule {retention!r}")
    names = {f.name for f in model._meta.get_fields()}
    named = [*fields, *(anonymise or {}), *[n for n in (detach, hold_field) if n]]
    missing = [name for name in named if name not in names]
    if missing:
        problems.append(f"no such fields {missing}")
    if owner != "self" and owner.split("__")[0] not in names:
        problems.append(f"owner path {owner!r} does not start with a field")
    if erase == Erase.ANONYMISE and not anonymise:
        problems.append("erase=ANONYMISE needs anonymise={field: replacement}")
    if not (erase in (Erase.DELETE, Erase.ANONYMISE) or callable(erase)):
        problems.append("erase must be Erase.DELETE, Erase.ANONYMISE or a function")
    if closure not in (Closure.DELETE, Closure.HOLD):
        problems.append("closure must be Closure.DELETE or Closure.HOLD")
    if closure == Closure.HOLD and detach and not model._meta.get_field(detach).null:
        problems.append(f"detach field {detach!r} must be nullable")
    unknown_readers = [key for key in (reads or {}) if not purposes.is_known(key)]
    if unknown_readers:
        problems.append(f"reads names unknown purposes {unknown_readers}")
    unread = [n for names_read in (reads or {}).values() for n in names_read if n not in names]
    if unread:
        problems.append(f"reads names no such fields {unread}")
    unknown_aliases = [name for name in (aliases or {}).values() if name not in names]
    if unknown_aliases:
        problems.append(f"aliases name no such fields {unknown_aliases}")
    if problems:
        raise ImproperlyConfigured(f"Personal-data declaration for {label}: {'; '.join(problems)}")
    declaration = Declaration(
        model=model,
        categories=tuple(categories),
        purpose=purpose,
        fields=tuple(fields),
        retention=retention,
        owner=owner,
        export=export,
        erase=erase,
        anonymise=dict(anonymise or {}),
        closure=closure,
        detach=detach,
        hold_field=hold_field,
        select_related=tuple(select_related),
        prefetch_related=tuple(prefetch_related),
        defer=tuple(defer),
        title=title,
        labels=dict(labels or {}),
        aliases=dict(aliases or {}),
        values=dict(values or {}),
        reads={key: tuple(names_read) for key, names_read in (reads or {}).items()},
    )
    _declarations[label] = declaration
    _guard_encrypted_fields(declaration)
    return declaration


def _guard_encrypted_fields(declaration: Declaration) -> None:
    """Install the read guard on each encrypted field of the model and its history."""
    for model in filter(None, (declaration.model, declaration.history_model)):
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, EncryptedMixin):
                continue
            named_by = [key for key, read in declaration.reads.items() if model_field.name in read]
            readers = {declaration.purpose, *named_by}
            purposes.field_guard(model, model_field, readers=readers, owner=declaration.owner)


def exempt(model, *, reason: str) -> None:
    """Declare that ``model`` holds no personal data although its fields look personal."""
    if not reason.strip():
        raise ImproperlyConfigured(f"Exempting {model._meta.label_lower} needs a reason.")
    _exemptions[model._meta.label_lower] = reason


@dataclass(frozen=True)
class ClearColumn:
    """A column that holds personal data in plain text, and why it must."""

    model: type
    field: str
    reason: object

    @property
    def tables(self) -> list[tuple[str, str]]:
        """(table, column) of the live model and of its history copy, if any."""
        column = self.model._meta.get_field(self.field).column
        found = [(self.model._meta.db_table, column)]
        history = history_model(self.model)
        if history is not None:
            found.append((history._meta.db_table, column))
        return found


_clear_columns: dict[tuple[str, str], ClearColumn] = {}


def stored_in_clear(model, field: str, *, reason) -> ClearColumn:
    """Declare that ``model.field`` (and its history copy) is stored unencrypted, with
    the reason. The privacy page lists these, and the raw-database scan
    (``privacy.scan``) accepts personal data in clear in these columns and nowhere else."""
    names = {f.name for f in model._meta.concrete_fields}
    if field not in names:
        raise ImproperlyConfigured(f"{model._meta.label_lower} has no column {field!r}.")
    if not str(reason).strip():
        raise ImproperlyConfigured(f"{model._meta.label_lower}.{field}: a reason is required.")
    entry = ClearColumn(model, field, reason)
    _clear_columns[(model._meta.label_lower, field)] = entry
    return entry


def clear_columns() -> list[ClearColumn]:
    return list(_clear_columns.values())


def clear_column_reasons() -> dict[tuple[str, str], object]:
    """{(table, column): reason} for every column declared stored in clear."""
    return {table: entry.reason for entry in _clear_columns.values() for table in entry.tables}


def declarations() -> list[Declaration]:
    return list(_declarations.values())


def declaration_for(model) -> Declaration | None:
    """The declaration governing ``model``; a historical model answers for its model."""
    declaration = _declarations.get(model._meta.label_lower)
    if declaration is None and getattr(model, "instance_type", None) is not None:
        declaration = _declarations.get(model.instance_type._meta.label_lower)
    return declaration


def exemption_for(model) -> str | None:
    reason = _exemptions.get(model._meta.label_lower)
    if reason is None and getattr(model, "instance_type", None) is not None:
        reason = _exemptions.get(model.instance_type._meta.label_lower)
    return reason


@dataclass(frozen=True)
class Kept:
    """Rows of another declared model kept with a closure option's kept rows: ``path``
    leads from ``model`` to the option's model (the warranty claims of a kept order:
    ``"line__order"``), ``detach`` is the field set to None to part them from the login
    (or None: they follow their parent), and ``minimise`` maps each field the kept rows
    no longer need to the value written over it, in the rows and their history copies
    (whose free-text change reasons go too)."""

    model: type
    path: str
    detach: str | None = None
    minimise: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ClosureOption:
    """A choice the customer makes when closing their account: keep some held rows
    for longer, for their own benefit (a lifetime warranty). ``rows`` narrows the
    declared model's rows of the customer (a filter dict); ``mark`` is written to
    them when the customer keeps them."""

    key: str
    model: type
    rows: dict
    mark: dict
    retention: str
    label: object
    warning: object
    # Rows of other declared models kept with the kept rows (``Kept``).
    keeps: tuple = ()
    # The URL name of the page where a former customer reaches what they kept.
    page: str = ""

    def mark_for(self, user) -> dict:
        """``mark`` with its callables applied to the customer (e.g. their address)."""
        return {
            name: value(user) if callable(value) else value for name, value in self.mark.items()
        }

    def rows_for(self, user):
        declaration = declaration_for(self.model)
        owned = declaration.model._default_manager.filter(declaration.owner_filter(user))
        matching = owned.filter(**self.rows).values("pk")
        return self.model._default_manager.filter(pk__in=matching)


_closure_options: dict[str, ClosureOption] = {}


def closure_option(
    *,
    key: str,
    model,
    rows: dict,
    mark: dict,
    retention: str,
    label,
    warning,
    keeps=(),
    page: str = "",
) -> ClosureOption:
    """Offer a choice at account closure (see ``ClosureOption``)."""
    if declaration_for(model) is None:
        raise ImproperlyConfigured(f"Declare {model._meta.label_lower} before its closure option.")
    if retention not in policy.RETENTION:
        raise ImproperlyConfigured(f"Closure option {key}: unknown retention rule {retention!r}")
    for kept in keeps:
        kept_label = kept.model._meta.label_lower
        if declaration_for(kept.model) is None:
            raise ImproperlyConfigured(f"Declare {kept_label} before keeping it.")
        if kept.detach and not kept.model._meta.get_field(kept.detach).null:
            raise ImproperlyConfigured(f"Closure option {key}: {kept.detach!r} must be nullable.")
        unknown = set(kept.minimise) - {f.name for f in kept.model._meta.concrete_fields}
        if unknown:
            raise ImproperlyConfigured(f"{kept_label} has no field {sorted(unknown)} to minimise.")
    option = ClosureOption(
        key, model, dict(rows), dict(mark), retention, label, warning, tuple(keeps), page
    )
    _closure_options[key] = option
    return option


def closure_options() -> list[ClosureOption]:
    return list(_closure_options.values())
