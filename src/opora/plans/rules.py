"""The pure rules of plans (no ORM): kinds, item numbers, deadlines, placeholders of execution marks, percentages.

A mark is text with placeholders ``{{ NAME key=value … }}`` (EXCHANGE.md "Plans and indicators"). ``parse_marks``
finds them; ``check_mark`` checks every one against the indicators known (name → parameter names) and raises a
DomainError naming the first bad one with its position in the text (1-based character); ``render_mark`` replaces
them with the texts a caller computed (the values formatted for the language).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.lib.dates import DateFormatError, parse_date
from opora.lib.errors import DomainError
from opora.lib.formats import day, round_half_up
from opora.lib.periods import PERIOD_CODES, Period, PeriodError


class PlanKind(models.TextChoices):
    WORK_PLAN = "work_plan", gettext_lazy("Work plan")
    QUALITY_PLAN = "quality_plan", gettext_lazy("Plan of measures to improve the quality of services")
    ROADMAP = "roadmap", gettext_lazy("Roadmap")
    METHODOLOGICAL = "methodological", gettext_lazy("Methodological plan")


PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
NUMBER = re.compile(r"\d+(\.\d+)*\.?")
_TOKEN = re.compile(r'\s*([^\s=]+)(?:=("[^"]*"|\S*))?')


@dataclass(frozen=True)
class Placeholder:
    position: int  # 1-based character of the opening braces
    source: str  # the whole placeholder as written
    name: str
    params: tuple[tuple[str, str], ...]

    @property
    def param_dict(self) -> dict[str, str]:
        return dict(self.params)


def _parse_one(position: int, source: str, inner: str) -> Placeholder:
    tokens: list[tuple[str, str | None]] = []
    pos = 0
    inner = inner.strip()
    while pos < len(inner):
        m = _TOKEN.match(inner, pos)
        if m is None or m.end() == pos:
            break
        value = m.group(2)
        tokens.append((m.group(1), value.strip('"') if value is not None else None))
        pos = m.end()
    if not tokens or tokens[0][1] is not None:
        raise DomainError(_("Position %(position)s: the placeholder %(source)s names no indicator.")
                          % {"position": position, "source": source}, field="mark")
    params: list[tuple[str, str]] = []
    for key, value in tokens[1:]:
        if value is None or value == "":
            raise DomainError(_("Position %(position)s: «%(token)s» in %(source)s is not key=value.")
                              % {"position": position, "token": key, "source": source}, field="mark")
        params.append((key, value))
    return Placeholder(position, source, tokens[0][0], tuple(params))


def parse_marks(text: str) -> list[Placeholder]:
    """The placeholders of a mark, in order; a malformed one (or unclosed braces) is a DomainError."""
    found = [_parse_one(m.start() + 1, m.group(0), m.group(1)) for m in PLACEHOLDER.finditer(text)]
    rest = PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
    if "{{" in rest:
        raise DomainError(_("Position %(position)s: «{{» is not closed by «}}».")
                          % {"position": rest.index("{{") + 1}, field="mark")
    return found


def check_mark(text: str, known: Mapping[str, Collection[str]]) -> list[Placeholder]:
    """Parse and check every placeholder against ``known`` (indicator → its parameter names)."""
    placeholders = parse_marks(text)
    for p in placeholders:
        if p.name not in known:
            raise DomainError(_("Position %(position)s: unknown indicator «%(indicator)s».")
                              % {"position": p.position, "indicator": p.name}, field="mark")
        for key, _value in p.params:
            if key not in known[p.name]:
                raise DomainError(_("Position %(position)s: the indicator «%(indicator)s» has no parameter "
                                    "«%(param)s».") % {"position": p.position, "indicator": p.name, "param": key},
                                  field="mark")
    return placeholders


def check_indicator(name: str, params: Mapping[str, str], known: Mapping[str, Collection[str]]) -> None:
    """The indicator of a roadmap item and its parameters."""
    if name not in known:
        raise DomainError(_("Unknown indicator «%(indicator)s».") % {"indicator": name}, field="indicator")
    for key in params:
        if key not in known[name]:
            raise DomainError(_("The indicator «%(indicator)s» has no parameter «%(param)s».")
                              % {"indicator": name, "param": key}, field="params")


def render_mark(text: str, value_of: Callable[[Placeholder], str]) -> str:
    """The mark with each placeholder replaced by ``value_of(placeholder)``."""
    placeholders = iter(parse_marks(text))
    return PLACEHOLDER.sub(lambda _m: value_of(next(placeholders)), text)


def parse_params(text: str) -> dict[str, str]:
    """``key=value|key=value`` (the exchange format's list) → dict; a pair without ``=`` is a DomainError."""
    params: dict[str, str] = {}
    for pair in (p.strip() for p in text.split("|")):
        if not pair:
            continue
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise DomainError(_("«%(pair)s» is not KEY=VALUE.") % {"pair": pair}, field="params")
        params[key.strip()] = value.strip()
    return params


def format_params(params: Mapping[str, str]) -> str:
    return "|".join(f"{k}={v}" for k, v in params.items())


def check_number(number: str) -> str:
    number = number.strip()
    if not NUMBER.fullmatch(number):
        raise DomainError(_("«%(number)s» is not an item number (such as 2.3).") % {"number": number},
                          field="number")
    return number.rstrip(".")


def sort_key(number: str) -> str:
    """A key that sorts ``2.10`` after ``2.9``: each part zero-padded to four digits."""
    return ".".join(part.zfill(4) for part in number.rstrip(".").split(".") if part)[:80]


def deadline_bounds(deadline: str, year: int) -> tuple[datetime.date, datetime.date] | None:
    """The days a deadline covers: a date (that day) or a period code of the plan's year; None when empty.

    A date outside the plan's year, or a text that is neither, is a DomainError naming the field ``deadline``.
    """
    deadline = deadline.strip()
    if not deadline:
        return None
    try:
        day = parse_date(deadline)
    except DateFormatError:
        try:
            period = Period.from_code(year, deadline)
        except PeriodError:
            raise DomainError(_("«%(deadline)s» is neither a date nor a period (q1…q4, h1, h2, 9m, m01…m12, "
                                "year).") % {"deadline": deadline}, field="deadline") from None
        return period.start, period.end
    if day.year != year:
        raise DomainError(_("The deadline %(deadline)s is outside the plan's year %(year)s.")
                          % {"deadline": deadline, "year": year}, field="deadline")
    return day, day


def deadline_label(deadline: str, year: int, lang: str | None = None) -> str:
    """The deadline as a document shows it: ``30.06.2020``, ``II квартал 2020 г.``; as typed when it is neither."""
    try:
        bounds = deadline_bounds(deadline, year)
    except DomainError:
        return deadline
    if bounds is None:
        return ""
    if bounds[0] == bounds[1] and not deadline.strip().lower().startswith("m"):
        return day(bounds[0], lang)
    return Period.from_code(year, deadline).label()


def is_due(bounds: tuple[datetime.date, datetime.date] | None, start: datetime.date, end: datetime.date) -> bool:
    """Whether an item is due in a period: its deadline ends inside it (an item without a deadline: never)."""
    return bounds is not None and start <= bounds[1] <= end


def achieved_pct(value: int | Decimal | None, target: Decimal | None) -> Decimal | None:
    """value / target × 100, rounded half-up to two places; None without a target (or a zero one)."""
    if value is None or target is None or target == 0:
        return None
    return round_half_up(Decimal(value) * 100 / Decimal(target), 2)


def mark_period_text(year: int, start: datetime.date, end: datetime.date) -> str:
    """How the `period` column of `plan_items` writes a mark's period: its code in the plan's year (``q2``)
    when it is one, else ``START..END`` in ISO dates."""
    for code in PERIOD_CODES:
        period = Period.from_code(year, code)
        if (period.start, period.end) == (start, end):
            return code
    return f"{start.isoformat()}..{end.isoformat()}"


def mark_period_bounds(text: str, year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a mark's period as `mark_period_text` writes it (a code of the plan's year, or
    two dates joined by ``..``, the first not after the second); a DomainError naming ``period`` otherwise."""
    text = text.strip()
    bad = DomainError(_("«%(period)s» is not a period (q1…q4, h1, h2, 9m, m01…m12, year, or START..END).")
                      % {"period": text}, field="period")
    if ".." in text:
        first, _sep, last = text.partition("..")
        try:
            start, end = parse_date(first.strip()), parse_date(last.strip())
        except DateFormatError:
            raise bad from None
        if end < start:
            raise bad
        return start, end
    try:
        period = Period.from_code(year, text)
    except PeriodError:
        raise bad from None
    return period.start, period.end
