"""The raw-database privacy scan: what an inspector finds with a dump of every table.

It trusts no model declaration. It lists the tables the database itself reports
(``connection.introspection.table_names()``), reads every row of every column with raw
SQL, and looks for personal data in each stored value:

- in clear: the value as stored, and what it holds once decoded the way Django and
  its apps store things (a signed session or token, a pickled cache value in base64,
  JSON with escaped characters, zlib-compressed payloads);
- encrypted: a value that the configured keys open (django-cryptography's pickles,
  read with ``pickletools``, never unpickled), so a scan after an erasure also finds
  encrypted copies that should have gone.

What it looks for is either a list of markers (the test's distinctive values, or an
inspector's) or, with none given, patterns of personal data (e-mail and IP addresses,
phone numbers) for an operator scanning a copy of production.

A value found in clear is allowed only in a column that the registry declares stored
in clear (``privacy.registry.stored_in_clear``), with its reason.
"""

import base64
import binascii
import contextlib
import contextvars
import json
import pickletools
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction

from privacy import registry
from privacy.encryption import key_material_current, opens
from privacy.purposes import acting_for

PATTERNS = {
    "e-mail address": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "IPv4 address": re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"),
    "phone number": re.compile(r"(?<![\w+])(?:\+44\s?7\d{3}|07\d{3})\s?\d{3}\s?\d{3}(?!\d)"),
}

_BASE64 = re.compile(r"^[A-Za-z0-9+/=_-]{12,}$")
_DEPTH = 3


@dataclass(frozen=True)
class Finding:
    table: str
    column: str
    row: str  # the row's first column (its primary key, for Django's tables)
    found: str  # the marker, or the name of the pattern
    encrypted: bool  # found only after decrypting the value
    reason: object = None  # the registry's reason when the column may hold it in clear

    def __str__(self):
        how = "encrypted" if self.encrypted else "IN CLEAR"
        allowed = f" (declared: {self.reason})" if self.reason else ""
        return f"{self.table}.{self.column} row {self.row}: {self.found!r} {how}{allowed}"


@dataclass
class ScanReport:
    findings: list[Finding] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    values: int = 0

    def in_clear(self) -> list[Finding]:
        return [f for f in self.findings if not f.encrypted]

    def violations(self) -> list[Finding]:
        """Personal data in clear where the registry gives no reason."""
        return [f for f in self.findings if not f.encrypted and f.reason is None]

    def tables_with_findings(self) -> set[str]:
        return {f.table for f in self.findings}

    def outside(self, tables: Iterable[str]) -> list[Finding]:
        """Findings (clear or encrypted) in any table other than ``tables``."""
        allowed = set(tables)
        return [f for f in self.findings if f.table not in allowed]


def _pickle_strings(payload: bytes) -> list[str]:
    """The strings inside a pickle, read without executing it."""
    found = []
    try:
        for _opcode, argument, _position in pickletools.genops(payload):
            if isinstance(argument, str):
                found.append(argument)
            elif isinstance(argument, bytes | bytearray):
                found.append(bytes(argument).decode("latin-1"))
    except Exception:  # noqa: BLE001, S110 - a truncated or foreign pickle: keep what was read
        pass
    return found


def _bytes_forms(raw: bytes, depth: int) -> list[str]:
    forms = [raw.decode("latin-1")]
    if raw[:1] == b"\x80":
        forms.extend(_pickle_strings(raw))
        opened = _opener.get()
        plaintext = _session_plaintext(opened, raw) if opened else None
        if plaintext is not None:  # an encrypted session: what it holds counts as encrypted
            opened.texts.extend(_text_forms(plaintext, depth + 1))
    if raw[:1] in (b"x", b"\x78"):
        with contextlib.suppress(zlib.error):
            forms.extend(_text_forms(zlib.decompress(raw).decode("latin-1"), depth + 1))
    return forms


def _b64_decode(text: str) -> bytes | None:
    padded = text + "=" * (-len(text) % 4)
    # Strict first: the standard decoder would drop "-" and "_" and return noise.
    for decode in (lambda text: base64.b64decode(text, validate=True), base64.urlsafe_b64decode):
        try:
            return decode(padded)
        except (binascii.Error, ValueError):
            continue
    return None


def _text_forms(text: str, depth: int = 0) -> list[str]:
    """``text`` and what it holds once decoded (signed values, base64, JSON)."""
    forms = [text]
    if depth >= _DEPTH or len(text) < 12:
        return forms
    stripped = text.strip()
    if stripped[:1] in "[{":
        with contextlib.suppress(ValueError):
            forms.append(json.dumps(json.loads(stripped), ensure_ascii=False))
    # Django's signing: "payload:timestamp:signature", payload in base64 (zlib if ".").
    candidates = [stripped.split(":", 1)[0]] if ":" in stripped else [stripped]
    for candidate in candidates:
        compressed = candidate.startswith(".")
        candidate = candidate.lstrip(".")
        if not _BASE64.match(candidate):
            continue
        raw = _b64_decode(candidate)
        if raw is None:
            continue
        if compressed:
            try:
                raw = zlib.decompress(raw)
            except zlib.error:
                continue
        for form in _bytes_forms(raw, depth):
            forms.extend(_text_forms(form, depth + 1))
    return forms


@dataclass
class _Opener:
    """The cipher, and the texts found inside encrypted sessions while decoding a value."""

    cipher: object
    texts: list = field(default_factory=list)


_opener: contextvars.ContextVar[_Opener | None] = contextvars.ContextVar(
    "privacy_scan_opener", default=None
)


def _session_plaintext(opener: _Opener, raw: bytes) -> str | None:
    """The JSON of a session encrypted by privacy.sessions, if the keys open ``raw``."""
    try:
        plaintext = opener.cipher.decrypt(raw)
    except Exception:  # noqa: BLE001 - not a token of ours
        return None
    try:
        json.loads(plaintext)
    except ValueError:
        return None
    return plaintext.decode("latin-1")


class _Reader:
    """Turns one stored value into the texts to search, clear and decrypted apart."""

    def __init__(self):
        self.cipher = key_material_current().cipher()

    def forms(self, value) -> tuple[list[str], list[str]]:
        opener = _Opener(self.cipher)
        token = _opener.set(opener)
        try:
            clear, decrypted = self._forms(value)
        finally:
            _opener.reset(token)
        return clear, [*decrypted, *opener.texts]

    def _forms(self, value) -> tuple[list[str], list[str]]:
        if value is None or isinstance(value, bool | int | float):
            return [], []
        if isinstance(value, memoryview | bytes | bytearray):
            raw = bytes(value)
            decrypted = opens(self.cipher, raw) if raw[:1] == b"\x80" else None
            if decrypted is not None:
                return [], _pickle_strings(decrypted)
            # A pickled cache value (Redis) holds strings that are encoded in turn.
            return [text for form in _bytes_forms(raw, 0) for text in _text_forms(form, 1)], []
        if isinstance(value, dict | list):
            return [json.dumps(value, ensure_ascii=False)], []
        return _text_forms(str(value)), []


def _search(texts: list[str], markers, patterns) -> list[str]:
    found = []
    joined = "\n".join(texts)
    lowered = joined.lower()
    for marker in markers:
        if marker.lower() in lowered:
            found.append(marker)
    for name, pattern in patterns.items():
        match = pattern.search(joined)
        if match:
            found.append(f"{name}: {match.group(0)}")
    return found


def table_names() -> list[str]:
    """Every table in the database, as the database reports them (no models read)."""
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


@acting_for("privacy-scan")  # raw SQL: it opens no field through the models
def database_scan(
    *, markers: Iterable[str] = (), patterns: dict | None = None, batch_size: int = 500
) -> ScanReport:
    """Read every row of every table and report where ``markers`` (or, with none,
    ``PATTERNS``) appear, in clear or encrypted."""
    markers = [m for m in markers if m]
    if patterns is None:
        patterns = {} if markers else PATTERNS
    reasons = registry.clear_column_reasons()
    reader = _Reader()
    report = ScanReport()
    quote = connection.ops.quote_name
    for table in table_names():
        report.tables += 1
        with transaction.atomic(), connection.chunked_cursor() as cursor:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - introspected name
            columns = [column[0] for column in cursor.description]
            while rows := cursor.fetchmany(batch_size):
                for row in rows:
                    report.rows += 1
                    for column, value in zip(columns, row, strict=True):
                        place = (table, column, str(row[0]), reasons.get((table, column)))
                        _value_check(report, reader, place, value, markers, patterns)
    # The shared cache, when it is Redis (a database cache is one of the tables above).
    for key, value in redis_values():
        report.rows += 1
        place = (REDIS_TABLE, "value", key, None)
        _value_check(report, reader, place, value, markers, patterns)
    return report


REDIS_TABLE = "redis"


def redis_values():
    """(key, raw value) of every string in the default cache's Redis database."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return
    client = cache._cache.get_client(None, write=False)
    for key in client.scan_iter(count=500):
        if client.type(key) == b"string":
            yield key.decode("latin-1"), client.get(key)


def _value_check(report, reader, place, value, markers, patterns) -> None:
    table, column, row_id, reason = place
    clear, decrypted = reader.forms(value)
    if not clear and not decrypted:
        return
    report.values += 1
    for found in _search(clear, markers, patterns):
        report.findings.append(
            Finding(table, column, row_id, found, encrypted=False, reason=reason)
        )
    for found in _search(decrypted, markers, patterns):
        report.findings.append(Finding(table, column, row_id, found, encrypted=True))


@dataclass(frozen=True)
class Disagreement:
    key: str
    outcome: str
    findings: tuple

    def __str__(self):
        return f"receipt says {self.key} {self.outcome}, yet: " + "; ".join(map(str, self.findings))


def _declared_tables(declaration) -> set[str]:
    tables = {declaration.model._meta.db_table}
    if declaration.history_model is not None:
        tables.add(declaration.history_model._meta.db_table)
    return tables


def _minimised_columns(declaration, names) -> set[tuple[str, str]]:
    """(table, column) of each minimised field, in the table and its history copy (whose
    change reason goes too)."""
    columns = {declaration.model._meta.get_field(n).column for n in names}
    places = {(declaration.model._meta.db_table, column) for column in columns}
    if declaration.history_model is not None:
        table = declaration.history_model._meta.db_table
        places |= {(table, column) for column in [*columns, "history_change_reason"]}
    return places


def receipt_disagreements(*, receipt, report: ScanReport) -> list[Disagreement]:
    """Receipt lines that the scanned database contradicts: a model said deleted with
    markers still in its table or its history, said anonymised with markers still in a
    column that anonymising replaces, or said kept without some fields (minimised)
    with markers still in those columns."""
    by_label = {d.label: d for d in registry.declarations()}
    # A model with some rows kept (a kept warranty's claims) keeps rows in its table.
    partly_kept = {item["key"] for item in receipt.outcomes if item["outcome"] == "keep"}
    found = []
    for item in receipt.outcomes:
        declaration = by_label.get(item["key"].removeprefix("history:"))
        if declaration is None:
            continue
        if item.get("minimised"):
            places = _minimised_columns(declaration, item["minimised"])
            hits = [f for f in report.findings if (f.table, f.column) in places]
        elif item["key"] in partly_kept or item["key"] not in by_label:
            continue
        elif item["outcome"] == "anonymise":
            names = declaration.anonymise
            columns = {declaration.model._meta.get_field(n).column for n in names}
            hits = [f for f in report.findings if f.table in _declared_tables(declaration)]
            hits = [f for f in hits if f.column in columns]
        elif item["outcome"] == "delete":
            hits = [f for f in report.findings if f.table in _declared_tables(declaration)]
        else:
            continue
        if hits:
            found.append(Disagreement(item["key"], item["outcome"], tuple(hits)))
    return found
