"""The production calendar of an organisation: the one its deadlines in working days are counted on.

`calendar_for(organisation)` = the calendar of the organisation's jurisdiction from the `holidays` package
(Russia or Ukraine: public holidays, the Government's transfers of days off, working Saturdays; see
lib/workdays.py) + the administrators' overrides kept as `CalendarDay` rows of that jurisdiction: rows with
region "" apply to every organisation of the jurisdiction, the rows of the organisation's own region win.

The package's part is computed once per process and jurisdiction (≈5 ms for 1991 to ten years ahead, plus
≈0.1 s to import the package); the overrides are read on every call (one query), so an edit on the calendar
page counts at once in every process.
"""

from __future__ import annotations

import datetime
import functools

from opora.lib.workdays import WorkCalendar, jurisdiction_calendar
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
