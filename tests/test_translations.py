"""Every French catalog of the project is complete: no empty or fuzzy entry, and every
plural entry has as many forms as the catalog's Plural-Forms header announces (a missing
form silently falls back to English)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(
    path
    for path in ROOT.glob("**/locale/fr/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def entries(text):
    """Each entry as a dict: msgid, plural forms (index -> text), flags."""
    for block in text.split("\n\n"):
        if "msgid" not in block:
            continue
        entry = {"flags": "", "msgid": "", "forms": {}, "plural": False}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("msgid_plural"):
                entry["plural"], current = True, None
            elif line.startswith("msgid "):
                entry["msgid"], current = line[7:-1], "msgid"
            elif match := re.match(r'msgstr(?:\[(\d)\])? "(.*)"$', line):
                current = int(match.group(1) or 0)
                entry["forms"][current] = match.group(2)
            elif line.startswith('"') and current is not None:
                if current == "msgid":
                    entry["msgid"] += line[1:-1]
                else:
                    entry["forms"][current] += line[1:-1]
        if not entry.get("obsolete"):
            yield entry


def test_there_are_french_catalogs():
    names = {path.relative_to(ROOT).parts[0] for path in CATALOGS}
    assert {"locale", "shop", "privacy"} <= names


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_catalog_is_complete(catalog):
    text = catalog.read_text()
    plurals = int(re.search(r"nplurals=(\d+)", text).group(1))
    problems = []
    for entry in entries(text):
        if not entry["msgid"]:
            continue  # the header
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {entry['msgid']}")
        if any(not form for form in entry["forms"].values()):
            problems.append(f"untranslated: {entry['msgid']}")
        if entry["plural"] and len(entry["forms"]) != plurals:
            problems.append(f"{len(entry['forms'])} of {plurals} plural forms: {entry['msgid']}")
    assert problems == []
