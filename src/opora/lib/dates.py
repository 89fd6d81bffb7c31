"""Months and dates: the one place for month arithmetic and for reading dates typed by people (pure, no Django).

Months are represented by their first day (``date(2020, 3, 1)`` is March 2020), as the monthly aggregates, the
charges and the acts store them.

- ``month_start(d)``, ``month_end(d)``, ``month_bounds(d)``: the first and the last day of d's month;
- ``months_between(a, b)``: the first days of the months from a's to b's, both inclusive;
- ``add_months(d, n)``: n months later (or earlier), the day clamped to the month's length (31.01 + 1 → 29.02);
- ``add_years(d, n)``: n years later, 29 February becoming the 28th;
- ``month_index(d)`` / ``from_month_index(i)``: months counted from year 0 (year × 12 + month − 1), so that the
  difference of two indexes is the number of months between them;
- ``months_in_term(a, b)``: the months of an inclusive term, a started month counting as a whole one;
- ``parse_date(text)``: ``YYYY-MM-DD`` or ``DD.MM.YYYY`` (the two forms EXCHANGE.md allows);
- ``parse_month(text)``: ``YYYY-MM`` (a full ``YYYY-MM-DD`` is read as its month; ``MM.YYYY`` too).

Both parsers raise :class:`DateFormatError` (a ``ValueError``); the caller turns it into its own translated
message (a form error, a ``DomainError`` with a field, an import error with the row).
"""

from __future__ import annotations

import calendar
import datetime
import re

__all__ = [
    "DateFormatError", "add_months", "add_years", "days_in_month", "from_month_index", "month_bounds",
    "month_end", "month_index", "month_start", "months_between", "months_in_term", "parse_date", "parse_month",
]

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DOTTED = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")
_DOTTED_SHORT = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_MONTH_DOTTED = re.compile(r"(\d{2})\.(\d{4})")


class DateFormatError(ValueError):
    """The text is not a date (or a month) in an accepted form; ``text`` is what was given."""

    def __init__(self, text: str, expected: str) -> None:
        super().__init__(f"{text!r} is not {expected}")
        self.text = text
        self.expected = expected


# --- months ---------------------------------------------------------------------------------------------------

def days_in_month(year: int, month: int) -> int:
    """28–31."""
    return calendar.monthrange(year, month)[1]


def month_start(day: datetime.date) -> datetime.date:
    """The first day of the day's month."""
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the day's month: 15.02.2020 → 29.02.2020."""
    return day.replace(day=days_in_month(day.year, day.month))


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of the day's month."""
    return month_start(day), month_end(day)


def month_index(day: datetime.date) -> int:
    """year × 12 + month − 1: consecutive months have consecutive indexes."""
    return day.year * 12 + day.month - 1


def from_month_index(index: int) -> datetime.date:
    """The first day of the month with this index (the inverse of :func:`month_index`)."""
    year, month0 = divmod(index, 12)
    return datetime.date(year, month0 + 1, 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``months`` months later (earlier when negative); the day is clamped: 31.01.2020 + 1 → 29.02.2020."""
    first = from_month_index(month_index(day) + months)
    return first.replace(day=min(day.day, days_in_month(first.year, first.month)))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``years`` years later (earlier when negative); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the months from start's month to end's month, both inclusive ([] when end < start's
    month): 15.11.2019–10.02.2020 → 01.11.2019, 01.12.2019, 01.01.2020, 01.02.2020."""
    return [from_month_index(i) for i in range(month_index(start), month_index(end) + 1)]


def whole_calendar_year(start: datetime.date, end: datetime.date) -> int | None:
    """The year when start–end is a whole calendar year (1 January to 31 December), else None: the yearly
    aggregates of the journal (delivery.RecipientYear, RecipientServiceYear) answer for such a period."""
    if start == datetime.date(start.year, 1, 1) and end == datetime.date(start.year, 12, 31):
        return start.year
    return None


def months_in_term(valid_from: datetime.date, valid_to: datetime.date) -> int:
    """The number of months of an inclusive term, a started month counting as a whole one (at least 1).

    01.01.2020–31.12.2020 → 12; 15.01.2020–14.03.2020 → 2; 15.01.2020–20.03.2020 → 3.
    """
    end = valid_to + datetime.timedelta(days=1)  # the term is inclusive
    months = month_index(end) - month_index(valid_from)
    if end.day > valid_from.day:
        months += 1
    return max(1, months)


# --- parsing --------------------------------------------------------------------------------------------------

def parse_date(text: str, *, iso_only: bool = False, short: bool = False) -> datetime.date:
    """``2020-12-31`` or ``31.12.2020`` (surrounding spaces ignored) → date(2020, 12, 31).

    The exchange format wants both digits of the day and the month; with ``short`` the dotted form may drop a
    leading zero (``5.1.2021``), as people type into a search box.

    With ``iso_only`` only ``YYYY-MM-DD`` is accepted (query parameters of the API and the report URLs).
    Raises :class:`DateFormatError` for anything else, including an impossible day (31.02.2020).
    """
    value = (text or "").strip()
    expected = "a date (YYYY-MM-DD)" if iso_only else "a date (YYYY-MM-DD or DD.MM.YYYY)"
    m = _ISO.fullmatch(value)
    if m:
        year, month, day = (int(g) for g in m.groups())
    else:
        m = None if iso_only else (_DOTTED_SHORT if short else _DOTTED).fullmatch(value)
        if m is None:
            raise DateFormatError(value, expected)
        day, month, year = (int(g) for g in m.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise DateFormatError(value, expected) from None


def parse_month(text: str) -> datetime.date:
    """``2020-03`` (or a whole date ``2020-03-15``, or ``03.2020`` as a month is written in Russian and Ukrainian
    papers) → date(2020, 3, 1). Raises :class:`DateFormatError`."""
    value = (text or "").strip()
    m = _MONTH.fullmatch(value)
    try:
        if m is not None:
            first = datetime.date(int(m.group(1)), int(m.group(2)), 1)
            if m.group(3) is not None:
                first.replace(day=int(m.group(3)))  # the day must exist too
            return first
        m = _MONTH_DOTTED.fullmatch(value)
        if m is None:
            raise ValueError(value)
        return datetime.date(int(m.group(2)), int(m.group(1)), 1)
    except ValueError:
        raise DateFormatError(value, "a month (YYYY-MM)") from None
