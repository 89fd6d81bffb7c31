"""Report periods: a month, a quarter, a half-year, nine months, a year or any range of days (pure, no ORM).

Parameters as the CLI, the API and the UI pass them::

    year=2020&period=year|q1..q4|h1|h2|9m|m01..m12      (period defaults to "year")
    start=2020-03-01&end=2020-04-15                      (any range, both days inclusive)

``parse_period`` turns them into a :class:`Period` or raises :class:`PeriodError` naming the bad parameter.
A period knows the same period of the previous year, the months it covers (for monthly aggregates) and its
translated label ("2020 год", "I квартал 2020 г.", "9 месяцев 2020 г.", "январь 2020 г.", "01.03.2020 – 15.04.2020").

Comparison helpers: ``change`` (in units) and ``change_pct`` ((current − previous) / previous × 100 as an exact
Decimal, None when previous is 0); ``share_pct`` (part / whole × 100); ``round2`` rounds half-up to 2 places
for showing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _

from opora.lib.dates import DateFormatError, add_years, month_end, months_between, parse_date
from opora.lib.errors import DomainError
from opora.lib.formats import day_range, month_name, round_half_up

Kind = Literal["month", "quarter", "half", "nine_months", "year", "range"]

MIN_YEAR = 1990
MAX_YEAR = 2100
PERIOD_CODES = ["year", "q1", "q2", "q3", "q4", "h1", "h2", "9m"] + [f"m{m:02d}" for m in range(1, 13)]
_HUNDRED = Decimal(100)


class PeriodError(DomainError):
    """A bad period parameter; ``field`` names it (year, period, start, end)."""


def _last_day(year: int, month: int) -> datetime.date:
    return month_end(datetime.date(year, month, 1))


@dataclass(frozen=True)
class Period:
    kind: Kind
    start: datetime.date
    end: datetime.date  # inclusive
    index: int = 0  # the month (1–12), the quarter (1–4) or the half (1–2); 0 otherwise

    # --- constructors ---------------------------------------------------------------------------------------
    @classmethod
    def year_of(cls, year: int) -> Period:
        return cls("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def month_of(cls, year: int, month: int) -> Period:
        return cls("month", datetime.date(year, month, 1), _last_day(year, month), month)

    @classmethod
    def quarter_of(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls("quarter", datetime.date(year, first, 1), _last_day(year, first + 2), quarter)

    @classmethod
    def half_of(cls, year: int, half: int) -> Period:
        first = 6 * (half - 1) + 1
        return cls("half", datetime.date(year, first, 1), _last_day(year, first + 5), half)

    @classmethod
    def nine_months_of(cls, year: int) -> Period:
        return cls("nine_months", datetime.date(year, 1, 1), datetime.date(year, 9, 30))

    @classmethod
    def range_of(cls, start: datetime.date, end: datetime.date) -> Period:
        if end < start:
            raise PeriodError(_("The end of the period is before its start."), field="end")
        return cls("range", start, end)

    @classmethod
    def from_code(cls, year: int, code: str) -> Period:
        """``year``, ``q1``…``q4``, ``h1``/``h2``, ``9m``, ``m01``…``m12`` of a year."""
        code = code.strip().lower()
        if code == "year":
            return cls.year_of(year)
        if code == "9m":
            return cls.nine_months_of(year)
        m = re.fullmatch(r"q([1-4])|h([12])|m(0[1-9]|1[0-2])", code)
        if m is None:
            message = _("Unknown period «%(code)s»: use one of %(codes)s.")
            raise PeriodError(message % {"code": code, "codes": ", ".join(PERIOD_CODES)}, field="period")
        if m.group(1):
            return cls.quarter_of(year, int(m.group(1)))
        if m.group(2):
            return cls.half_of(year, int(m.group(2)))
        return cls.month_of(year, int(m.group(3)))

    # --- properties -----------------------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return self.start.year

    @property
    def code(self) -> str:
        """The parameter that names this period within its year ("" for a range)."""
        return {"year": "year", "nine_months": "9m", "quarter": f"q{self.index}", "half": f"h{self.index}",
                "month": f"m{self.index:02d}"}.get(self.kind, "")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def previous_year(self) -> Period:
        """The same period one year earlier (29 February becomes the 28th)."""
        if self.kind == "range":
            return Period("range", add_years(self.start, -1), add_years(self.end, -1))
        return Period.from_code(self.year - 1, self.code)

    def months(self) -> list[datetime.date]:
        """The first days of the months the period touches, in order (partly covered months included)."""
        return months_between(self.start, self.end)

    @property
    def whole_months(self) -> bool:
        """True when the period starts on a 1st and ends on a month's last day (monthly sums are exact)."""
        return self.start.day == 1 and self.end == _last_day(self.end.year, self.end.month)

    def params(self) -> dict[str, str]:
        """The query parameters that name this period (the inverse of :func:`parse_period`)."""
        if self.kind == "range":
            return {"start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"year": str(self.year), "period": self.code}

    def label(self) -> str:
        """Translated: "2020 год", "I квартал 2020 г.", "9 месяцев 2020 г.", "январь 2020 г.", "01.03.2020 – …"."""
        y = self.year
        if self.kind == "year":
            return _("Year %(year)s") % {"year": y}
        if self.kind == "quarter":
            # One msgid per quarter and half: the translation writes the number its own way («I квартал»).
            quarters = (_("Q1 %(year)s"), _("Q2 %(year)s"), _("Q3 %(year)s"), _("Q4 %(year)s"))
            return quarters[self.index - 1] % {"year": y}
        if self.kind == "half":
            return (_("H1 %(year)s"), _("H2 %(year)s"))[self.index - 1] % {"year": y}
        if self.kind == "nine_months":
            return _("9 months of %(year)s") % {"year": y}
        if self.kind == "month":
            return _("%(month)s %(year)s") % {"month": month_name(self.index), "year": y}
        return day_range(self.start, self.end)

    def __str__(self) -> str:
        return self.label()


# --- parsing ------------------------------------------------------------------------------------------------

def _param(params: Mapping[str, object], name: str) -> str:
    value = params.get(name)
    return "" if value is None else str(value).strip()


def _parse_year(text: str, field: str = "year") -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise PeriodError(_("The year must be four digits, e.g. 2020."), field=field)
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
                          field=field)
    return year


def _parse_day(text: str, field: str) -> datetime.date:
    try:
        day = parse_date(text, iso_only=True)
    except DateFormatError:
        raise PeriodError(_("Enter the date as YYYY-MM-DD, e.g. 2020-12-31."), field=field) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise PeriodError(_("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
                          field=field)
    return day


def parse_period(params: Mapping[str, object]) -> Period:
    """A period from ``year`` + ``period`` (default "year"), or from ``start`` + ``end``.

    Raises :class:`PeriodError` whose ``field`` names the parameter at fault.
    """
    start, end = _param(params, "start"), _param(params, "end")
    if start or end:
        if not start:
            raise PeriodError(_("Give the start of the period as well as its end."), field="start")
        if not end:
            raise PeriodError(_("Give the end of the period as well as its start."), field="end")
        return Period.range_of(_parse_day(start, "start"), _parse_day(end, "end"))
    year = _param(params, "year")
    if not year:
        raise PeriodError(_("Give the year (or the start and end of the period)."), field="year")
    return Period.from_code(_parse_year(year), _param(params, "period") or "year")


# --- comparison ---------------------------------------------------------------------------------------------

def _dec(value: int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def change(current: int | Decimal | None, previous: int | Decimal | None) -> int | Decimal | None:
    """The change in units: current − previous (None when either is unknown)."""
    if current is None or previous is None:
        return None
    return current - previous


def change_pct(current: int | Decimal | None, previous: int | Decimal | None) -> Decimal | None:
    """(current − previous) / previous × 100, exact; None when previous is 0 or either is unknown."""
    if current is None or previous is None or previous == 0:
        return None
    return (_dec(current) - _dec(previous)) * _HUNDRED / _dec(previous)


def share_pct(part: int | Decimal | None, whole: int | Decimal | None) -> Decimal | None:
    """part / whole × 100 (execution of a plan, a share), exact; None when whole is 0 or either is unknown."""
    if part is None or whole is None or whole == 0:
        return None
    return _dec(part) * _HUNDRED / _dec(whole)


def round2(value: int | Decimal | None) -> Decimal | None:
    """Half-up to two places, as figures are shown: 116.925 → 116.93."""
    if value is None:
        return None
    return round_half_up(value, 2)
