"""Find card-like numbers: 13 to 19 digits (spaces or dashes between them allowed) that
pass the Luhn check, in every table's raw rows and in log text."""

import re

from django.db import connection

CANDIDATE = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_numbers_in(text: str) -> list[str]:
    found = []
    for match in CANDIDATE.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            found.append(digits)
    return found


def _as_text(value) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("latin-1")
    return str(value)


def card_numbers_in_database() -> dict[str, list[str]]:
    """Table name -> the card-like numbers in its rows, every column read raw."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                numbers = card_numbers_in(" | ".join(_as_text(value) for value in row))
                if numbers:
                    found.setdefault(table, []).extend(numbers)
    return found
