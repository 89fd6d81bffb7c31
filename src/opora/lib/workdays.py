"""Working days: deadlines counted on a production calendar. Pure: no Django, no database.

The week is Monday–Friday. A calendar adds exceptions: public holidays (and the days off the
government moved onto weekdays) are not working days; weekends moved to working days (a "working
Saturday") are.

Convention for deadlines ("within N working days of receipt"): the day of receipt is not counted.
The deadline is the N-th working day after the start date, whatever kind of day the start date is.
A decision due within 5 working days of an application received on Friday 10 January 2020 is due on
Friday 17 January 2020 (13, 14, 15, 16, 17). `working_days_between(start, end)` counts the working
days in (start, end], so `working_days_between(s, add_working_days(s, n)) == n`.
"""

from __future__ import annotations

import datetime
from collections.abc import Set
from dataclasses import dataclass, field

ONE_DAY = datetime.timedelta(days=1)


def is_working_day(day: datetime.date, holidays: Set[datetime.date] = frozenset(),
                   working_weekends: Set[datetime.date] = frozenset()) -> bool:
    if day in working_weekends:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


def add_working_days(start: datetime.date, n: int, holidays: Set[datetime.date] = frozenset(),
                     working_weekends: Set[datetime.date] = frozenset()) -> datetime.date:
    """The n-th working day after `start` (the start day itself is not counted); n = 0 gives `start`."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    day = start
    left = n
    while left:
        day += ONE_DAY
        if is_working_day(day, holidays, working_weekends):
            left -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date, holidays: Set[datetime.date] = frozenset(),
                         working_weekends: Set[datetime.date] = frozenset()) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start, holidays, working_weekends)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(day, holidays, working_weekends):
            count += 1
    return count


@dataclass(frozen=True)
class WorkCalendar:
    """A production calendar: the exceptions to the Monday–Friday week."""

    holidays: frozenset[datetime.date] = field(default_factory=frozenset)
    working_weekends: frozenset[datetime.date] = field(default_factory=frozenset)

    def is_working_day(self, day: datetime.date) -> bool:
        return is_working_day(day, self.holidays, self.working_weekends)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        return add_working_days(start, n, self.holidays, self.working_weekends)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        return working_days_between(start, end, self.holidays, self.working_weekends)
