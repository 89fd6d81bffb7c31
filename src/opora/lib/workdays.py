"""Working days: deadlines counted on a production calendar. Pure: no Django, no database.

The week is Monday–Friday. A calendar adds exceptions: public holidays (and the days off the
government moved onto weekdays) are not working days; weekends moved to working days (a "working
Saturday") are.

Convention for deadlines ("within N working days of receipt"): the day of receipt is not counted.
The deadline is the N-th working day after the start date, whatever kind of day the start date is.
A decision due within 5 working days of an application received on Friday 10 January 2020 is due on
Friday 17 January 2020 (13, 14, 15, 16, 17). `working_days_between(start, end)` counts the working
days in (start, end], so `working_days_between(s, add_working_days(s, n)) == n`.

The calendar of a jurisdiction comes from the `holidays` package (`jurisdiction_calendar`): its public
holidays, the Government's transfers of days off and the weekend days made working. Russia ("ru"): Labour
Code art. 112 and the Government's annual resolutions (e.g. Saturday 28.12.2024 worked, 30 and 31.12.2024
off). Ukraine ("ua"): Labour Code art. 67 and 73 and the Cabinet's transfers up to March 2022; since Law
2136-IX "On the organisation of labour relations under martial law" (in force 24.03.2022, art. 6 part 6:
arts. 67 parts 3–5 and 71–73 of the Labour Code do not apply) holidays are ordinary working days, and the
package files them under its "workday" category, which is not used here. Outside the years asked for, the
calendar is the bare Monday–Friday week.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Set
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

    def overridden(self, days: Mapping[datetime.date, bool]) -> WorkCalendar:
        """This calendar with some days set by hand: True makes a day a working day, False a day off."""
        if not days:
            return self
        working = frozenset(d for d, w in days.items() if w)
        off = frozenset(d for d, w in days.items() if not w)
        return WorkCalendar(holidays=(self.holidays - working) | off,
                            working_weekends=(self.working_weekends - off) | working)


# The `holidays` package's country code and the language of its names, per jurisdiction (org.models.Jurisdiction).
JURISDICTION_COUNTRIES = {"ru": "RU", "ua": "UA"}
JURISDICTION_LANGUAGES = {"ru": "ru", "ua": "uk"}


def jurisdiction_days(jurisdiction: str, years: Iterable[int],
                      language: str | None = None) -> dict[datetime.date, tuple[bool, str]]:
    """The days the `holidays` package sets apart from the Monday–Friday week for a jurisdiction ("ru", "ua"):
    date → (is it a working day, its name in `language`: "ru", "uk", "en_US"; the country's own by default,
    never the process's locale, which the package would otherwise follow).

    Days off include the holidays that fall on a weekend (named, no effect on counting); working days are the
    weekend days the Government made working (a "working Saturday")."""
    # Imported here, not at the top: importing `holidays` takes ~0.1 s (measured with `python -X importtime`:
    # 0.094–0.103 s for holidays + the two countries), paid on the first deadline and not on every start.
    import holidays

    country = holidays.country_holidays(JURISDICTION_COUNTRIES[jurisdiction], years=list(years),
                                        language=language or JURISDICTION_LANGUAGES[jurisdiction])
    days: dict[datetime.date, tuple[bool, str]] = {day: (False, str(name)) for day, name in country.items()}
    for day in country.weekend_workdays:
        days[day] = (True, "")
    return days


def jurisdiction_calendar(jurisdiction: str, years: Iterable[int]) -> WorkCalendar:
    """The production calendar of a jurisdiction for the given years, from the `holidays` package."""
    days = jurisdiction_days(jurisdiction, years)
    return WorkCalendar(holidays=frozenset(d for d, (w, _name) in days.items() if not w),
                        working_weekends=frozenset(d for d, (w, _name) in days.items() if w))
