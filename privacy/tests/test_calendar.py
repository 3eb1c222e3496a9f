"""Calendar months for legal periods: deadlines, holds and retention share one rule."""

import datetime

from privacy.calendar import months_after
from privacy.rights.erasure import hold_until


def test_a_month_after_31_january_is_the_last_day_of_february():
    assert months_after(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert months_after(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)


def test_twelve_months_after_29_february_is_28_february():
    assert months_after(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert months_after(datetime.date(2024, 2, 29), 48) == datetime.date(2028, 2, 29)


def test_months_cross_the_year_both_ways():
    assert months_after(datetime.date(2026, 11, 30), 2) == datetime.date(2027, 1, 30)
    assert months_after(datetime.date(2026, 1, 15), -13) == datetime.date(2024, 12, 15)
    assert months_after(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)
    assert months_after(datetime.date(2026, 5, 17), 0) == datetime.date(2026, 5, 17)


def test_a_datetime_keeps_its_time_and_zone():
    moment = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC)
    assert months_after(moment, 1) == datetime.datetime(2026, 2, 28, 23, 30, tzinfo=datetime.UTC)


def test_a_legal_hold_is_counted_in_calendar_months():
    """Tax records: seven years (84 months) from the closure, same rule as deadlines."""
    closed = datetime.date(2024, 2, 29)
    assert hold_until(retention="tax-records", closed=closed) == datetime.date(2031, 2, 28)
    assert hold_until(retention="tax-records", closed=closed) == months_after(closed, 84)
    assert hold_until(retention="lifetime-warranty", closed=closed) is None
