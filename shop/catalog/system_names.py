"""Finding computer systems by name, fast at a real catalog's size (200,000 systems).

On PostgreSQL the indexes of migration 0019 serve the memory finder:

- a trigram index (pg_trgm, GIN) on UPPER(model_line || ' ' || model), which finds a
  word anywhere in a system's name without reading the whole table;
- B-trees on UPPER(model) COLLATE "C", alone and after the maker's id, which list the
  models that start with what was typed (of one maker, or of all), in order, by
  reading only those rows.

The expressions below are written exactly as the indexes are, or the planner would not
use them. What was typed is put in capitals by Python, the names by PostgreSQL: the
two agree on every letter but a few (German sharp s) whose capital is two letters.
Other databases (SQLite in development) get the plain case-insensitive search of every
word in the model, its line or its maker.

A word of three characters or more is found anywhere in the name ("460" finds
"ThinkPad T460p"); a shorter one at the start of a word ("T4" finds "T460p", "ro"
finds "Roadbook" but not "Pro"), which the trigram index can also serve. Each word may
instead match the maker's name.
"""

import re
import time

from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField
from django.db.models.functions import Collate, Upper
from django.db.models.signals import post_delete, post_save

from shop.models import Manufacturer

SUGGESTION_LIMIT = 10
# Suggestions past the models starting with the query: at most this many systems
# containing every word are read (unordered, so a word thousands of systems contain
# costs no more than a rare one), then sorted by name.
SUGGESTION_CANDIDATES = 50
# What a suggestion shows: its label (maker and name) and its page.
SUGGESTION_FIELDS = ("model_line", "model", "slug", "manufacturer__name")
ANYWHERE_FROM_LENGTH = 3
MAKERS_KEPT_SECONDS = 60
NOT_A_WORD = re.compile(r"\W+")
# Above any character a model name holds: "AB" <= a name starting with AB < "AB" + this.
AFTER_EVERY_CHARACTER = "\U0010ffff"


class SystemNameKey(Func):
    """UPPER((model_line || ' ' || model)), as the trigram index is built."""

    template = "UPPER((%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self):
        super().__init__(F("model_line"), F("model"))


def name_indexes_used() -> bool:
    """Whether the database has the finder's name indexes (PostgreSQL)."""
    return connection.vendor == "postgresql"


def folded(text: str) -> str:
    """Capitals, words only, one space between them: "Acme (demo)" -> "ACME DEMO"."""
    return " ".join(NOT_A_WORD.sub(" ", text).split()).upper()


_makers = {"read_at": None, "names": []}


def _maker_names() -> list[tuple[int, str]]:
    """(id, folded name) of every maker. Makers are few and seldom change, so each
    process reads them at most once a minute, and again after it saved or deleted one
    (another process's new maker is matched by name within the minute)."""
    now = time.monotonic()
    if _makers["read_at"] is None or now - _makers["read_at"] >= MAKERS_KEPT_SECONDS:
        names = [(pk, folded(name)) for pk, name in Manufacturer.objects.values_list("pk", "name")]
        _makers.update(read_at=now, names=names)
    return _makers["names"]


def _makers_forget(**kwargs):
    _makers["read_at"] = None


post_save.connect(_makers_forget, sender=Manufacturer, dispatch_uid="system-names-makers-save")
post_delete.connect(_makers_forget, sender=Manufacturer, dispatch_uid="system-names-makers-del")


def _manufacturer_ids(terms) -> dict[str, list[int]]:
    """For each word, the makers whose name holds it."""
    makers = _maker_names()
    return {term: [pk for pk, name in makers if folded(term) in name] for term in terms}


def _word_match(term: str, maker_ids: list[int]) -> Q:
    if not name_indexes_used():
        match = Q(model__icontains=term) | Q(model_line__icontains=term)
    elif len(term) >= ANYWHERE_FROM_LENGTH:
        match = Q(name_key__contains=term.upper())
    else:
        match = Q(name_key__startswith=term.upper()) | Q(name_key__contains=f" {term.upper()}")
    return match | Q(manufacturer_id__in=maker_ids) if maker_ids else match


def systems_with_words(systems: QuerySet, terms: list[str]) -> QuerySet:
    """`systems` whose name or maker's name holds every word of `terms`."""
    if not terms:
        return systems
    if name_indexes_used():
        systems = systems.alias(name_key=SystemNameKey())
    makers = _manufacturer_ids(terms)
    for term in terms:
        systems = systems.filter(_word_match(term, makers[term]))
    return systems


def _maker_named(typed: str) -> tuple[int | None, str]:
    """The maker whose full name `typed` (folded) starts with, and what follows it."""
    for pk, name in _maker_names():
        if typed == name or typed.startswith(f"{name} "):
            return pk, typed[len(name) + 1 :]
    return None, typed


def _names_starting(systems: QuerySet, typed: str, *, maker_named: bool) -> list:
    """At most SUGGESTION_LIMIT `systems` whose model starts with `typed` (folded), in
    model order, each query a range of an index; or, unless the maker was already
    named, the systems of a maker whose name is being typed ("Ac": Acer's, then
    Acme's, one query per maker)."""
    if not typed and not maker_named:  # nothing but punctuation was typed
        return []
    systems = systems.alias(model_key=Collate(Upper("model"), "C")).order_by("model_key")
    found = []
    if not maker_named:
        typed_makers = sorted((name, pk) for pk, name in _maker_names() if name.startswith(typed))
        for _name, pk in typed_makers:
            found += systems.filter(manufacturer_id=pk)[: SUGGESTION_LIMIT - len(found)]
            if len(found) == SUGGESTION_LIMIT:
                break
    if found:
        return found
    starting = systems.filter(model_key__gte=typed, model_key__lt=typed + AFTER_EVERY_CHARACTER)
    return list(starting[:SUGGESTION_LIMIT])


def systems_suggested(systems: QuerySet, terms: list[str]) -> list:
    """At most SUGGESTION_LIMIT of `systems` for the finder's type-ahead: first the
    names that start with what was typed, in the order of their models (the model, or
    the maker's name then the model, or a maker's name being typed); then systems whose
    name holds every word, sorted by name (on SQLite: the first by name that hold every
    word). Once a maker's whole name is typed, only its systems are searched."""
    systems = systems.only(*SUGGESTION_FIELDS)
    if not name_indexes_used():
        return list(systems_with_words(systems, terms)[:SUGGESTION_LIMIT])
    maker, typed = _maker_named(folded(" ".join(terms)))
    if maker is not None:
        systems, terms = systems.filter(manufacturer_id=maker), typed.split()
    starting = _names_starting(systems, typed, maker_named=maker is not None)
    if len(starting) == SUGGESTION_LIMIT:
        return starting
    holding = systems_with_words(systems, terms).exclude(pk__in=[s.pk for s in starting])
    others = sorted(holding.order_by()[:SUGGESTION_CANDIDATES], key=lambda s: str(s).upper())
    return starting + others[: SUGGESTION_LIMIT - len(starting)]
