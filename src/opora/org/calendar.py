"""The production calendar of an organisation: the one its deadlines in working days are counted on.

`calendar_for(organisation)` = the calendar of the organisation's jurisdiction from the `holidays` package
(Russia or Ukraine: public holidays, the Government's transfers of days off, working Saturdays; see
lib/workdays.py) + the administrators' overrides kept as `CalendarDay` rows of that jurisdiction: rows with
region "" apply to every organisation of the jurisdiction, the rows of the organisation's own region win.

The package's part is computed once per process and jurisdiction (≈9 ms for 1991 to ten years ahead, plus
≈0.1 s to import the package); the overrides are read on every call (one query), so an edit on the calendar
page counts at once in every process.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.utils import translation

from opora.lib.workdays import WorkCalendar, jurisdiction_calendar, jurisdiction_days
from opora.org.models import CalendarDay, Organisation

FIRST_YEAR = 1991  # the first year the `holidays` package knows for Russia and Ukraine
YEARS_AHEAD = 10  # the package's calendar is built up to this many years after today; later: Monday–Friday


def calendar_years(today: datetime.date | None = None) -> range:
    return range(FIRST_YEAR, (today or datetime.date.today()).year + YEARS_AHEAD + 1)


@functools.cache
def package_calendar(jurisdiction: str) -> WorkCalendar:
    """The jurisdiction's calendar from the `holidays` package alone, cached for the life of the process."""
    return jurisdiction_calendar(jurisdiction, calendar_years())


def overrides_for(jurisdiction: str, region: str) -> dict[datetime.date, bool]:
    """The administrators' overrides that apply in a region: date → is it a working day. The rows with region ""
    apply to the whole jurisdiction; the region's own row for the same date wins."""
    rows = CalendarDay.objects.filter(jurisdiction=jurisdiction, region__in={"", region or ""}).values_list(
        "region", "date", "is_working")
    days: dict[datetime.date, bool] = {}
    # "" first, then the region's rows overwrite the same dates.
    for _region, day, working in sorted(rows, key=lambda r: r[0] != ""):
        days[day] = working
    return days


def calendar_for(organisation: Organisation) -> WorkCalendar:
    """The production calendar an organisation's deadlines are counted on (its jurisdiction's, with overrides)."""
    jurisdiction = organisation.jurisdiction
    return package_calendar(jurisdiction).overridden(overrides_for(jurisdiction, organisation.region))


# The `holidays` package's language for each interface language (it falls back to the country's own).
PACKAGE_LANGUAGES = {"ru": "ru", "uk": "uk", "en": "en_US"}


@dataclass(frozen=True)
class CalendarDayView:
    """A day of the year that is not an ordinary Monday–Friday working day or weekend, as the calendar page shows it:
    from the package, or set by an override (which then names it, unless the override has no name)."""

    day: datetime.date
    is_working: bool
    name: str
    override: CalendarDay | None


@dataclass(frozen=True)
class CalendarYear:
    year: int
    months: list[tuple[datetime.date, int]]  # the first of each month, its working days
    total: int
    days: list[CalendarDayView]


def calendar_year(organisation: Organisation, year: int) -> CalendarYear:
    """The organisation's calendar of a year: working days per month and the days set apart, with their source."""
    calendar = calendar_for(organisation)
    language = PACKAGE_LANGUAGES.get((translation.get_language() or "ru")[:2])
    named = {d: name for d, (_working, name) in jurisdiction_days(organisation.jurisdiction, [year], language).items()
             if d.year == year}
    rows = CalendarDay.objects.filter(jurisdiction=organisation.jurisdiction, date__year=year,
                                      region__in={"", organisation.region or ""})
    overrides: dict[datetime.date, CalendarDay] = {}
    for row in sorted(rows, key=lambda r: r.region != ""):  # the region's own row wins
        overrides[row.date] = row
    days = []
    for day in sorted(set(named) | set(overrides)):
        override = overrides.get(day)
        name = (override.name if override is not None else "") or named.get(day, "")
        days.append(CalendarDayView(day, calendar.is_working_day(day), name, override))
    months = []
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        months.append((first, calendar.working_days_between(first - datetime.timedelta(days=1), last)))
    return CalendarYear(year, months, sum(n for _first, n in months), days)
