"""Purposes at the point of read: a declared personal field opens only for the purposes
its declaration names, checked each time the field is read.

Code says what it acts for; the value is refused otherwise, at run time::

    from privacy.purposes import purpose, acting_for

    with purpose("orders"):                 # a block
        label = order.delivery_phone

    @acting_for("statistics")               # a whole function, task or command
    def sales_report(): ...

    with purpose("own-data", subject=user): # one person's own rows, and no one else's
        ...

``privacy.consent.purposes.for_purpose`` and ``@uses_personal_data`` activate their
purpose the same way. Requests get theirs from ``PurposeMiddleware``: the staff admin
acts for the purposes of the staff member's roles (``privacy.role_matrix``), every other
page for the signed-in person's own data. Templates render inside the request, so they
read under the same purposes.

Which purposes may read a field is data: the declaration's ``purpose``, the purposes its
``reads=`` names for that field, and the operations of ``privacy.policy.OPERATIONS`` that
read every field. A purpose active with a ``subject`` reads only rows that the
declaration's ``owner`` path leads to that subject. Anything else raises
``PurposeNotAllowed``, however the attribute is reached (``getattr``, a template, the
admin's forms).

Django and django-simple-history copy values without showing them (saving a row,
reloading it, validating it, writing its history copy): those frames, listed in
``PLUMBING``, pass.
"""

import contextvars
import functools
import sys
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models.query_utils import DeferredAttribute

from privacy import policy


class PurposeNotAllowed(Exception):
    """The purpose is not declared, does not cover the data, or the data was read
    outside every purpose that may read it."""


@dataclass(frozen=True)
class Scope:
    purpose: str
    # The pk of the only person whose rows may be read, or a function that answers it
    # at the time of the read (a request's user, who may sign in during the request).
    subject: object = None

    def subject_pk(self):
        return self.subject() if callable(self.subject) else self.subject


_active: contextvars.ContextVar[tuple[Scope, ...]] = contextvars.ContextVar(
    "privacy_active_purposes", default=()
)

# (file name ending, function): framework code that copies a value without showing it.
PLUMBING = frozenset(
    {
        ("django/db/models/fields/__init__.py", "pre_save"),
        ("django/db/models/base.py", "refresh_from_db"),
        ("django/db/models/base.py", "_save_table"),
        ("django/db/models/base.py", "clean_fields"),
        ("django/db/models/base.py", "_get_field_expression_map"),
        ("django/db/models/base.py", "_perform_unique_checks"),
        ("django/db/models/query.py", "bulk_update"),
        ("simple_history/models.py", "create_historical_record"),
        ("simple_history/models.py", "get_instance"),
    }
)
# Files whose own reads pass (set by the test suite for test bodies and factories, which
# inspect what the code under test wrote; never set by the site).
_trusted_readers: list[str] = []


def trust_readers_in(fragments) -> None:
    """Let reads made directly from files whose path contains one of ``fragments``
    pass (tests inspecting rows); an empty list trusts no one."""
    _trusted_readers[:] = list(fragments)


def is_known(key: str) -> bool:
    return key in policy.PURPOSES or key in policy.OPERATIONS


def active_scopes() -> tuple[Scope, ...]:
    return _active.get()


def active_purposes() -> tuple[str, ...]:
    return tuple(dict.fromkeys(scope.purpose for scope in _active.get()))


@contextmanager
def scopes_active(scopes):
    """Make ``scopes`` active inside the block, besides those already active."""
    previous = _active.get()
    _active.set(previous + tuple(scopes))
    try:
        yield
    finally:
        _active.set(previous)


def scopes_extend(scopes) -> None:
    """Add ``scopes`` to the active ones until the enclosing ``scopes_active`` block
    ends (middleware that learns the purposes after the block began)."""
    _active.set(_active.get() + tuple(scopes))


@contextmanager
def purpose(*keys: str, subject=None):
    """Act for ``keys`` inside the block (added to those already active). With a
    ``subject`` (a user or its pk), only that person's rows open."""
    unknown = [key for key in keys if not is_known(key)]
    if unknown or not keys:
        raise PurposeNotAllowed(f"{unknown or keys!r}: not a purpose of the privacy policy.")
    if policy.OWN_DATA in keys and subject is None:
        raise PurposeNotAllowed(f"{policy.OWN_DATA!r} names whose data it shows (subject=).")
    subject_pk = subject if callable(subject) else getattr(subject, "pk", subject)
    with scopes_active(Scope(key, subject_pk) for key in keys):
        yield


@contextmanager
def no_purpose():
    """Nothing active inside the block (a test's way to prove a read is refused)."""
    previous = _active.get()
    _active.set(())
    try:
        yield
    finally:
        _active.set(previous)


def acting_for(*keys: str):
    """Decorate a function, task or command handler: it runs under ``purpose(*keys)``."""
    unknown = [key for key in keys if not is_known(key)]
    if unknown or not keys:
        raise PurposeNotAllowed(f"{unknown or keys!r}: not a purpose of the privacy policy.")

    def decorate(function):
        @functools.wraps(function)
        def acting(*args, **kwargs):
            with purpose(*keys):
                return function(*args, **kwargs)

        acting.purposes = keys
        return acting

    return decorate


# Which purposes read which field --------------------------------------------------


@dataclass(frozen=True)
class FieldRule:
    label: str
    field: str
    readers: frozenset
    owner: str  # the declaration's path from the row to its person, or "self"


_rules: dict[tuple[type, str], FieldRule] = {}


def readers_for(model, field_name: str) -> frozenset:
    rule = _rules.get((model, model._meta.get_field(field_name).attname))
    return rule.readers if rule else frozenset()


def field_guard(model, field, *, readers, owner: str) -> None:
    """Refuse reads of ``model.field`` outside ``readers`` (see the module's text)."""
    every_field = {key for key, op in policy.OPERATIONS.items() if op.reads_every_field}
    rule = FieldRule(model._meta.label_lower, field.name, frozenset(readers) | every_field, owner)
    _rules[(model, field.attname)] = rule
    setattr(model, field.attname, GuardedAttribute(field, rule))


def _owned_by(row, owner: str, subject_pk) -> bool:
    if owner == "self":  # a history copy keeps the row's own key beside its history_id
        model = getattr(type(row), "instance_type", type(row))
        return getattr(row, model._meta.pk.attname) == subject_pk
    *hops, last = owner.split("__")
    target = row
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return False
    field = target._meta.get_field(last)
    return getattr(target, field.attname, None) == subject_pk


def read_allowed(row, rule: FieldRule) -> bool:
    scopes = [scope for scope in _active.get() if scope.purpose in rule.readers]
    if any(scope.subject is None for scope in scopes):
        return True  # checked first: an ownership check may cost a query
    for scope in scopes:
        if row._state.adding and scope.purpose == policy.OWN_DATA:
            return True  # not saved yet: what the person typed in this request
        subject_pk = scope.subject_pk()
        if subject_pk is not None and _owned_by(row, rule.owner, subject_pk):
            return True
    return False


def _caller_passes(frame) -> bool:
    code = frame.f_code
    filename = code.co_filename.replace("\\", "/")
    if any(fragment in filename for fragment in _trusted_readers):
        return True
    return any(filename.endswith(path) and code.co_name == name for path, name in PLUMBING)


class GuardedAttribute(DeferredAttribute):
    """The model attribute of a guarded field: a data descriptor (so a loaded value is
    still checked) that keeps the value where Django keeps it, in the row's __dict__."""

    def __init__(self, field, rule: FieldRule):
        super().__init__(field)
        self.rule = rule

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        rule = self.rule
        if not (read_allowed(instance, rule) or _caller_passes(sys._getframe(1))):
            active = ", ".join(active_purposes()) or "none"
            raise PurposeNotAllowed(
                f"Reading {rule.label}.{rule.field} needs one of the purposes "
                f"{sorted(rule.readers)} (for their own rows where a person is named); "
                f"active: {active}."
            )
        return super().__get__(instance, cls)

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value
