"""Calendar arithmetic for legal periods: one definition, used by request deadlines,
legal holds and the retention schedule.

A period of months is counted in calendar months: the same day of the month, so many
months later (or earlier, for a negative count); when that month is shorter, its last
day (31 January + 1 month = 28 or 29 February; 29 February + 12 months = 28 February).
A year is twelve months.
"""

import calendar
import datetime


def months_after[D: datetime.date](moment: D, months: int) -> D:
    """`moment` (a date or a datetime, time of day kept) moved by `months` calendar months."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
