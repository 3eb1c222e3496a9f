"""Finding computer systems by name, fast at a real catalog's size (200,000 systems).

On PostgreSQL two indexes of migration 0019 serve the memory finder:

- a trigram index (pg_trgm, GIN) on UPPER(model_line || ' ' || model), which finds a
  word anywhere in a system's name without reading the whole table;
- a B-tree on UPPER(model) COLLATE "C", which lists the models that start with what
  was typed, in order, by reading only those rows.

The expressions below are written exactly as the indexes are, or the planner would not
use them. Other databases (SQLite in development) get the plain case-insensitive
search of every word in the model, its line or its maker.

A word of three characters or more is found anywhere in the name ("460" finds
"ThinkPad T460p"); a shorter one at the start of a word ("T4" finds "T460p", "ro"
finds "Roadbook" but not "Pro"), which the trigram index can also serve. Each word may
instead match the maker's name.
"""

from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField
from django.db.models.functions import Collate, Upper

from shop.models import Manufacturer

SUGGESTION_LIMIT = 10
# Suggestions past the models starting with the query: at most this many systems
# containing every word are read (unordered, so a word thousands of systems contain
# costs no more than a rare one), then sorted by name.
SUGGESTION_CANDIDATES = 50
# What a suggestion shows: its label (maker and name) and its page.
SUGGESTION_FIELDS = ("model_line", "model", "slug", "manufacturer__name")
ANYWHERE_FROM_LENGTH = 3
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


def _manufacturer_ids(terms) -> dict[str, list[int]]:
    """For each word, the makers whose name holds it (one query: makers are few)."""
    makers = list(Manufacturer.objects.values_list("pk", "name"))
    return {term: [pk for pk, name in makers if term.upper() in name.upper()] for term in terms}


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


def systems_suggested(systems: QuerySet, terms: list[str]) -> list:
    """At most SUGGESTION_LIMIT of `systems` for the finder's type-ahead: first the
    models that start with what was typed, in order; then systems whose name holds
    every word, sorted by name (on SQLite: the first by name that hold every word)."""
    systems = systems.only(*SUGGESTION_FIELDS)
    if not name_indexes_used():
        return list(systems_with_words(systems, terms)[:SUGGESTION_LIMIT])
    typed = " ".join(terms).upper()
    starting = list(
        systems.alias(model_key=Collate(Upper("model"), "C"))
        .filter(model_key__gte=typed, model_key__lt=typed + AFTER_EVERY_CHARACTER)
        .order_by("model_key")[:SUGGESTION_LIMIT]
    )
    if len(starting) == SUGGESTION_LIMIT:
        return starting
    holding = systems_with_words(systems, terms).exclude(pk__in=[s.pk for s in starting])
    others = sorted(holding.order_by()[:SUGGESTION_CANDIDATES], key=lambda s: str(s).upper())
    return starting + others[: SUGGESTION_LIMIT - len(starting)]
